import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// How ELBv2 realises a listener: passthrough as `TCP` plus a balancer tag, target protocols.
extension ListenerSpec {
    /// The balancer tag naming the ports (comma-separated, ascending) of its passthrough listeners.
    /// ELBv2 has no passthrough protocol: such a listener is `TCP`, and refresh reads this tag (with
    /// the balancer's other tags, no extra call) to report it as `tls-passthrough` again.
    static let passthroughTag = "catalyze:tls-passthrough"

    /// The `passthroughTag` value for `listeners`; nil when none passes TLS through.
    static func passthroughPorts(_ listeners: [ListenerSpec]) -> String? {
        let ports = Set(listeners.filter(\.isPassthrough).map(\.port)).sorted()
        return ports.isEmpty ? nil : ports.map(String.init).joined(separator: ",")
    }

    /// The ELBv2 listener protocol: `TCP` for a passthrough listener (TLS is never terminated).
    var elbProtocol: String { isPassthrough ? "TCP" : proto.uppercased() }

    /// The listener as refresh reports it: a `TCP` listener on one of `passthroughPorts` is `tls-passthrough`.
    static func readBack(proto: String, port: Int, targetPort: Int, passthroughPorts: String?) -> ListenerSpec {
        let ports = Set((passthroughPorts ?? "").split(separator: ",").compactMap { Int($0) })
        let name = proto.uppercased() == "TCP" && ports.contains(port) ? ListenerProtocol.tlsPassthrough : proto.lowercased()
        return ListenerSpec(proto: name, port: port, targetPort: targetPort)
    }

    /// The target group protocol: HTTP behind an ALB, TCP (or UDP) behind an NLB (passthrough included).
    func targetProtocol(type: String) -> String {
        type == "network" ? (proto == "udp" ? "UDP" : "TCP") : "HTTP"
    }
}

extension HealthCheckSpec {
    /// The target group's health check parameters (CreateTargetGroup, ModifyTargetGroup): the
    /// protocol in capitals, the port or `traffic-port`, and a path (`/` when empty) for HTTP(S) only.
    var elbParameters: [String: String] {
        let proto = self.proto.uppercased()
        var parameters = ["HealthCheckProtocol": proto, "HealthCheckPort": port.map(String.init) ?? "traffic-port", "HealthCheckEnabled": "true"]
        if proto == "HTTP" || proto == "HTTPS" { parameters["HealthCheckPath"] = path.isEmpty ? "/" : path }
        return parameters
    }
}
