/// A load balancer's health check, as plans and lockfiles write it: `proto:path:port`, e.g.
/// `http:/healthz:8080`, or `tcp::8443` for a check that only connects (the `health_check`
/// attribute of a `load_balancer`; empty for none).
///
/// The one parser and printer of that text: `LoadBalancerDesire` makes it from the manifest, and
/// the AWS (target group) and Rackspace (health monitor) drivers read the typed check instead of
/// splitting the text themselves.
public struct HealthCheckSpec: Hashable, Sendable, CustomStringConvertible {
    /// The protocols a check may use.
    public static let protocols: Set<String> = ["http", "https", "tcp"]

    /// `http`, `https` or `tcp`.
    public var proto: String
    /// The path an HTTP(S) check asks for; empty for `tcp`.
    public var path: String
    /// The port checked; nil for the port traffic goes to (written empty, as Rackspace reads a
    /// monitor back: a Cloud Load Balancer checks each node on its own port).
    public var port: Int?

    /// Creates a check.
    public init(proto: String, path: String, port: Int?) {
        self.proto = proto
        self.path = path
        self.port = port
    }

    /// Parses `proto:path:port`; the path is everything between the first and the last colon (a
    /// path may hold one). Nil when malformed: fewer than two colons, an unknown protocol, a port
    /// that is not a whole number.
    public init?(parsing text: String) {
        guard let first = text.firstIndex(of: ":"), let last = text.lastIndex(of: ":"), first < last else { return nil }
        let proto = String(text[..<first])
        let portText = text[text.index(after: last)...]
        guard Self.protocols.contains(proto.lowercased()) else { return nil }
        let port: Int?
        if portText.isEmpty {
            port = nil
        } else {
            guard let number = Int(portText) else { return nil }
            port = number
        }
        self.init(proto: proto, path: String(text[text.index(after: first)..<last]), port: port)
    }

    /// The `health_check` text of a balancer: empty is no check.
    public static func optional(canonical text: String) throws(MalformedSpecText) -> HealthCheckSpec? {
        guard !text.isEmpty else { return nil }
        guard let check = HealthCheckSpec(parsing: text) else {
            throw MalformedSpecText(what: "health check", text: text, form: "http|https|tcp:path:port")
        }
        return check
    }

    /// True for a check that only opens a connection.
    public var connectsOnly: Bool { proto.lowercased() == "tcp" }

    /// `proto:path:port`.
    public var description: String { "\(proto):\(path):\(port.map(String.init) ?? "")" }
}
