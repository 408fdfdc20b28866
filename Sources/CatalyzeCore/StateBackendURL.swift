/// Where a pod's state lives, as `--backend`, `CATALYZE_BACKEND` and the manifest's
/// `state: { backend: URL }` name it:
///
/// - `file:PATH` — the local lockfile (the default: `catalyze.lock.json` beside the manifest);
/// - `s3://BUCKET/PREFIX` — S3, or any store with S3 conditional writes (`AWS_ENDPOINT_URL`);
/// - `etcd://HOST:PORT[,HOST:PORT…]/PREFIX` — etcd's v3 JSON gateway (`etcds://`: over TLS).
///
/// One URL holds many pods: the network stores keep each pod's state under `PREFIX/<pod>/`.
/// Parsing is pure and refuses a malformed URL naming the wrong part (`StateBackendURLError`).
public enum StateBackendURL: Sendable, Hashable, CustomStringConvertible {
    /// A local lockfile at `path`.
    case file(path: String)
    /// An S3 bucket and key prefix (no leading or trailing `/`; may be empty).
    case s3(bucket: String, prefix: String)
    /// etcd members (tried in order) and the key prefix (no leading or trailing `/`, never empty).
    case etcd(endpoints: [Endpoint], prefix: String, tls: Bool)

    /// One `HOST:PORT` of an etcd URL.
    public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
        /// A DNS name, an IPv4 address, or an IPv6 address in brackets.
        public var host: String
        /// 1–65535.
        public var port: Int

        /// Creates an endpoint.
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        /// `HOST:PORT`.
        public var description: String { "\(host):\(port)" }
    }

    /// The URL in its canonical spelling.
    public var description: String {
        switch self {
        case .file(let path): "file:\(path)"
        case let .s3(bucket, prefix): prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)"
        case let .etcd(endpoints, prefix, tls):
            "\(tls ? "etcds" : "etcd")://\(endpoints.map(\.description).joined(separator: ","))/\(prefix)"
        }
    }

    /// True for the network stores (S3, etcd).
    public var isRemote: Bool {
        if case .file = self { return false }
        return true
    }

    /// Parses `text`; the error names the part that is wrong and what it should be.
    public static func parse(_ text: String) throws(StateBackendURLError) -> StateBackendURL {
        func fail(_ part: String, _ problem: String) -> StateBackendURLError {
            StateBackendURLError(url: text, part: part, problem: problem)
        }
        if text.isEmpty { throw fail("URL", "it is empty; use file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT/PREFIX") }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw fail("URL", "it contains a control character")
        }
        guard let colon = text.firstIndex(of: ":") else {
            throw fail("scheme", "there is none; use file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT/PREFIX")
        }
        let scheme = String(text[..<colon])
        let rest = String(text[text.index(after: colon)...])
        switch scheme {
        case "file":
            var path = rest
            if path.hasPrefix("//") { path.removeFirst(2) }  // file:///abs/path
            guard !path.isEmpty else { throw fail("path", "file: needs a path, e.g. file:catalyze.lock.json") }
            return .file(path: path)
        case "s3":
            guard rest.hasPrefix("//") else { throw fail("scheme", "write s3://BUCKET/PREFIX (two slashes)") }
            return try parseS3(String(rest.dropFirst(2)), fail)
        case "etcd", "etcds":
            guard rest.hasPrefix("//") else { throw fail("scheme", "write \(scheme)://HOST:PORT/PREFIX (two slashes)") }
            return try parseEtcd(String(rest.dropFirst(2)), tls: scheme == "etcds", fail)
        default:
            let hint = scheme.lowercased() != scheme && ["file", "s3", "etcd", "etcds"].contains(scheme.lowercased())
                ? " (schemes are lowercase: \(scheme.lowercased()))" : ""
            throw fail("scheme", "'\(scheme)' is not one of file:, s3://, etcd://, etcds://\(hint)")
        }
    }

    private static func parseS3(
        _ rest: String, _ fail: (String, String) -> StateBackendURLError
    ) throws(StateBackendURLError) -> StateBackendURL {
        try refuseURLExtras(rest, fail)
        let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let bucket = String(parts[0])
        guard !bucket.isEmpty else { throw fail("bucket", "s3:// needs a bucket name") }
        let allowed = bucket.utf8.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
        guard (3...63).contains(bucket.utf8.count), allowed,
              let first = bucket.utf8.first, isLowerAlnum(first), let last = bucket.utf8.last, isLowerAlnum(last),
              !bucket.contains("..")
        else {
            throw fail("bucket", "'\(bucket)' is not an S3 bucket name (3-63 lowercase letters, digits, '-' and '.', "
                + "starting and ending with a letter or digit)")
        }
        let prefix = try parsePrefix(parts.count > 1 ? String(parts[1]) : "", required: false, fail)
        return .s3(bucket: bucket, prefix: prefix)
    }

    private static func parseEtcd(
        _ rest: String, tls: Bool, _ fail: (String, String) -> StateBackendURLError
    ) throws(StateBackendURLError) -> StateBackendURL {
        try refuseURLExtras(rest, fail)
        let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard !parts[0].isEmpty else { throw fail("endpoints", "etcd:// needs HOST:PORT (several separated by ',')") }
        var endpoints: [Endpoint] = []
        for item in parts[0].split(separator: ",", omittingEmptySubsequences: false) {
            endpoints.append(try endpoint(String(item), fail))
        }
        guard parts.count > 1 else { throw fail("prefix", "etcd URLs need a key prefix: etcd://HOST:PORT/PREFIX") }
        let prefix = try parsePrefix(String(parts[1]), required: true, fail)
        return .etcd(endpoints: endpoints, prefix: prefix, tls: tls)
    }

    private static func endpoint(_ item: String, _ fail: (String, String) -> StateBackendURLError) throws(StateBackendURLError) -> Endpoint {
        guard !item.isEmpty else { throw fail("endpoints", "an empty HOST:PORT between commas") }
        let host: String, portText: String
        if item.hasPrefix("[") {
            guard let close = item.firstIndex(of: "]") else { throw fail("host", "'\(item)': an IPv6 address needs its closing ']'") }
            host = String(item[...close])
            let after = item[item.index(after: close)...]
            guard after.hasPrefix(":") else { throw fail("port", "'\(item)' has no port (HOST:PORT)") }
            portText = String(after.dropFirst())
            let inner = host.dropFirst().dropLast()
            guard !inner.isEmpty, inner.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw fail("host", "'\(host)' is not an IPv6 address")
            }
        } else {
            guard let colon = item.lastIndex(of: ":") else { throw fail("port", "'\(item)' has no port (HOST:PORT, e.g. \(item):2379)") }
            host = String(item[..<colon])
            portText = String(item[item.index(after: colon)...])
            let valid = !host.isEmpty && host.utf8.allSatisfy {
                isLowerAlnum($0) || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || $0 == UInt8(ascii: "-")
                    || $0 == UInt8(ascii: ".")
            } && !host.hasPrefix("-") && !host.hasPrefix(".")
            guard valid else { throw fail("host", "'\(host)' is not a host name or IPv4 address") }
        }
        guard let port = Int(portText), (1...65535).contains(port), portText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw fail("port", "'\(portText)' in '\(item)' is not a port (1-65535)")
        }
        return Endpoint(host: host, port: port)
    }

    /// A key prefix: `/`-separated segments of letters, digits and `-_.`, none empty, `.` or `..`.
    private static func parsePrefix(
        _ text: String, required: Bool, _ fail: (String, String) -> StateBackendURLError
    ) throws(StateBackendURLError) -> String {
        var prefix = Substring(text)
        while prefix.hasSuffix("/") { prefix = prefix.dropLast() }
        if prefix.isEmpty {
            if required { throw fail("prefix", "it is empty; name a key prefix, e.g. /catalyze") }
            return ""
        }
        for segment in prefix.split(separator: "/", omittingEmptySubsequences: false) {
            guard !segment.isEmpty else { throw fail("prefix", "'\(prefix)' has an empty segment ('//')") }
            guard segment != ".", segment != ".." else { throw fail("prefix", "'\(prefix)' has a '\(segment)' segment") }
            let valid = segment.utf8.allSatisfy {
                isLowerAlnum($0) || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || $0 == UInt8(ascii: "-")
                    || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            }
            guard valid else {
                throw fail("prefix", "'\(segment)' may hold only letters, digits, '-', '_' and '.'")
            }
        }
        return String(prefix)
    }

    /// Credentials, queries and fragments have no place in a backend URL.
    private static func refuseURLExtras(_ rest: String, _ fail: (String, String) -> StateBackendURLError) throws(StateBackendURLError) {
        let authority = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0]
        if authority.contains("@") {
            // Never echo what stands before '@': it may be a secret.
            throw StateBackendURLError(
                url: "(not shown: it holds user information)", part: "user information",
                problem: "credentials never go in a backend URL; they come from the environment (AWS chain; etcd: none yet)")
        }
        if rest.contains("?") { throw fail("query", "a backend URL takes no '?query'") }
        if rest.contains("#") { throw fail("fragment", "a backend URL takes no '#fragment'") }
    }

    private static func isLowerAlnum(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}

/// A malformed backend URL: which part is wrong, and why.
public struct StateBackendURLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL as given.
    public var url: String
    /// The part that is wrong: `scheme`, `bucket`, `prefix`, `endpoints`, `host`, `port`, `path`, …
    public var part: String
    /// What is wrong with it.
    public var problem: String

    /// Creates an error.
    public init(url: String, part: String, problem: String) {
        self.url = url
        self.part = part
        self.problem = problem
    }

    /// `backend URL 's4://b': scheme: 's4' is not one of …`.
    public var description: String { "backend URL '\(url)': \(part): \(problem)" }
}
