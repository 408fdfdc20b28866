/// Where `catalyze serve` listens: a loopback TCP address, or a Unix socket. Never another
/// interface: bearer tokens go in the clear over plain HTTP, so anything beyond this machine
/// reaches the API through a TLS terminator in front of it (nginx, stunnel), which forwards to
/// the loopback port or the socket (README, "The HTTP API").
public enum ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 or IPv6 loopback address and a port (0: any free port, printed at start).
    case tcp(host: String, port: UInt16)
    /// A Unix socket's path (mode 0660: the owner and the group, e.g. the TLS terminator's).
    case unix(path: String)

    /// The default: `127.0.0.1:8470`.
    public static let standard = ListenAddress.tcp(host: "127.0.0.1", port: 8470)

    /// Why a `--listen` value was refused.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case notLoopback(String)

        public var description: String {
            switch self {
            case let .malformed(text): "--listen '\(text.prefix(60))' is not HOST:PORT (e.g. 127.0.0.1:8470 or [::1]:8470)"
            case let .notLoopback(host):
                "--listen \(host) is not a loopback address: catalyze serve speaks plain HTTP with bearer tokens, so it listens on "
                    + "127.0.0.1, ::1 or a Unix socket (--socket) only; put a TLS terminator in front of it for other machines"
            }
        }
    }

    /// Parses `HOST:PORT` or `[IPV6]:PORT`; the host must be a loopback address.
    public init(parsing text: String) throws {
        var host: Substring
        var portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw Failure.malformed(text) }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon else { throw Failure.malformed(text) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = UInt16(portText) else { throw Failure.malformed(text) }
        if host == "localhost" { host = "127.0.0.1" }
        guard Self.isLoopback(String(host)) else { throw Failure.notLoopback(String(host)) }
        self = .tcp(host: String(host), port: port)
    }

    /// 127.0.0.0/8 or ::1.
    static func isLoopback(_ host: String) -> Bool {
        if host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }

    public var description: String {
        switch self {
        case let .tcp(host, port): host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
        case let .unix(path): "unix:\(path)"
        }
    }
}
