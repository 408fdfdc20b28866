import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// One load-balancer listener in the canonical text form `proto/port>targetPort`, e.g. `https/443>8080`.
public struct Listener: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `http`, `https`, `tcp`, `tls`, `tls-passthrough` or `udp`.
    public var proto: String
    /// The port the balancer listens on.
    public var port: Int
    /// The instances' port traffic is forwarded to.
    public var targetPort: Int

    /// Creates a listener.
    public init(proto: String, port: Int, targetPort: Int) {
        self.proto = proto
        self.port = port
        self.targetPort = targetPort
    }

    /// Parses `proto/port>targetPort`; nil when malformed.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        let ports = parts[1].split(separator: ">").map { Int($0) }
        guard ports.count == 2, let port = ports[0], let target = ports[1] else { return nil }
        self.init(proto: parts[0].lowercased(), port: port, targetPort: target)
    }

    /// Parses a `;`-joined list, throwing `invalidSpec` for a malformed entry.
    static func list(_ text: String, address: ResourceAddress) throws -> [Listener] {
        try text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map {
            guard let listener = Listener(parsing: $0) else {
                throw DriverError.invalidSpec(address: address, reason: "malformed listener '\($0)' (want proto/port>targetPort)")
            }
            return listener
        }
    }

    /// `proto/port>targetPort`.
    public var description: String { "\(proto)/\(port)>\(targetPort)" }

    /// Orders by canonical text.
    public static func < (lhs: Listener, rhs: Listener) -> Bool { lhs.description < rhs.description }

    /// True for listeners that terminate TLS and need a certificate.
    public var needsCertificate: Bool { proto == "https" || proto == "tls" }

    /// True for `tls-passthrough`: the NLB forwards the encrypted stream to the instances, which
    /// terminate TLS with a key catalyze never sees.
    public var isPassthrough: Bool { proto == ListenerProtocol.tlsPassthrough }

    /// The balancer tag naming the ports (comma-separated, ascending) of its passthrough listeners.
    /// ELBv2 has no passthrough protocol: such a listener is `TCP`, and refresh reads this tag (with
    /// the balancer's other tags, no extra call) to report it as `tls-passthrough` again.
    static let passthroughTag = "catalyze:tls-passthrough"

    /// The `passthroughTag` value for `listeners`; nil when none passes TLS through.
    static func passthroughPorts(_ listeners: [Listener]) -> String? {
        let ports = Set(listeners.filter(\.isPassthrough).map(\.port)).sorted()
        return ports.isEmpty ? nil : ports.map(String.init).joined(separator: ",")
    }

    /// The ELBv2 listener protocol: `TCP` for a passthrough listener (TLS is never terminated).
    var elbProtocol: String { isPassthrough ? "TCP" : proto.uppercased() }

    /// The listener as refresh reports it: a `TCP` listener on one of `passthroughPorts` is `tls-passthrough`.
    static func readBack(proto: String, port: Int, targetPort: Int, passthroughPorts: String?) -> Listener {
        let ports = Set((passthroughPorts ?? "").split(separator: ",").compactMap { Int($0) })
        let name = proto.uppercased() == "TCP" && ports.contains(port) ? ListenerProtocol.tlsPassthrough : proto.lowercased()
        return Listener(proto: name, port: port, targetPort: targetPort)
    }

    /// The target group protocol: HTTP behind an ALB, TCP (or UDP) behind an NLB (passthrough included).
    func targetProtocol(type: String) -> String {
        type == "network" ? (proto == "udp" ? "UDP" : "TCP") : "HTTP"
    }
}

/// A health check in the form `proto:path:port`, e.g. `http:/healthz:8080`.
struct HealthCheck: Hashable, Sendable {
    var proto: String
    var path: String
    var port: String

    init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { return nil }
        proto = parts[0].uppercased()
        path = parts[1]
        port = parts[2].isEmpty ? "traffic-port" : parts[2]
    }

    var parameters: [String: String] {
        var parameters = ["HealthCheckProtocol": proto, "HealthCheckPort": port, "HealthCheckEnabled": "true"]
        if proto == "HTTP" || proto == "HTTPS" { parameters["HealthCheckPath"] = path.isEmpty ? "/" : path }
        return parameters
    }

    var description: String { "\(proto.lowercased()):\(path):\(port)" }
}
