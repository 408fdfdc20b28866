import Foundation

/// Where credentials may be sent: `https://` anywhere, plain `http://` only to this machine
/// (emulators, a local proxy) unless the user opts in with `CATALYZE_ALLOW_INSECURE_HTTP=1` (a lab
/// proxy on a trusted network). An API key, a session token or a SigV4 `Authorization` sent in
/// clear over a network can be read by anyone on the path.
public enum EndpointSecurity {
    /// The environment variable that allows plain HTTP to hosts other than this machine.
    public static let allowInsecureVariable = "CATALYZE_ALLOW_INSECURE_HTTP"

    /// True when `env` opts in to plain HTTP beyond loopback.
    public static func allowsInsecure(_ env: [String: String]) -> Bool {
        ["1", "true", "yes"].contains(env[allowInsecureVariable]?.lowercased() ?? "")
    }

    /// True for `localhost`, `127.0.0.0/8` and `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" || bare == "::1" { return true }
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Checks that `url` (named `source` in errors: `AWS_ENDPOINT_URL`, `OS_AUTH_URL`, a catalog
    /// endpoint) is http(s) with a host, and not plain HTTP to another machine unless allowed.
    public static func check(_ url: URL, source: String, allowInsecure: Bool) throws(DriverError) {
        guard let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), let host = url.host, !host.isEmpty else {
            throw .authentication("\(source) is not an http(s) URL: \(HTTPRequest.redacted(url))")
        }
        guard scheme == "http", !allowInsecure, !isLoopback(host) else { return }
        throw .authentication(
            "\(source) is plain http:// to \(host): credentials would travel in clear. Use https://, or set "
                + "\(allowInsecureVariable)=1 for a proxy on a trusted network (loopback addresses are always allowed)")
    }
}
