import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// The Cloud Load Balancers settings for a `load_balancer` spec.
///
/// A Cloud Load Balancer serves one protocol on one port; TLS termination adds a secure port.
/// So `application` balancers are `HTTP` on the plain listener's port (80 when there is only an
/// `https` listener, with `secureTrafficOnly`), terminating TLS on the `https` listener's port;
/// `network` balancers are `TCP` on the first listener's port.
///
/// A `tls-passthrough` listener (either type) makes the balancer `HTTPS` on its port: the CLB's
/// protocol for encrypted HTTP it forwards without decrypting. The API refuses SSL termination on an
/// `HTTPS` balancer, so the cloud itself guarantees that TLS ends in the servers, with a key
/// catalyze never sees (`TCP` would carry the bytes as well, but would let termination be switched
/// on later and says less about the traffic). Such a balancer serves that one listener only.
struct LoadBalancerSettings: Sendable, Hashable {
    var protocolName: String
    var port: Int
    var securePort: Int?
    var secureOnly: Bool
    var targetPort: Int
    var virtualIPType: String
    var healthMonitor: JSONValue?

    /// The settings of `spec`, the balancer at `address`.
    init(_ spec: LoadBalancerSpec, address: ResourceAddress) throws {
        let listeners = spec.listeners
        guard let first = listeners.first else {
            throw DriverError.invalidSpec(address: address, reason: "load balancer has no listeners")
        }
        targetPort = first.targetPort
        virtualIPType = spec.scheme == "internal" ? "SERVICENET" : "PUBLIC"
        if let passthrough = listeners.first(where: \.isPassthrough) {
            guard listeners.count == 1 else {
                throw DriverError.invalidSpec(
                    address: address,
                    reason: "a Cloud Load Balancer that passes TLS through serves that one listener only; found \(listeners.count)")
            }
            protocolName = "HTTPS"
            port = passthrough.port
            targetPort = passthrough.targetPort
            securePort = nil
            secureOnly = false
        } else if spec.type == "network" {
            protocolName = "TCP"
            port = first.port
            securePort = nil
            secureOnly = false
        } else {
            let plain = listeners.first { $0.proto == "http" }
            let secure = listeners.first { $0.proto == "https" }
            protocolName = "HTTP"
            port = plain?.port ?? 80
            securePort = secure?.port
            secureOnly = secure != nil && plain == nil
            targetPort = (plain ?? secure ?? first).targetPort
        }
        healthMonitor = Self.monitor(spec.healthCheck)
    }

    /// `http:/healthz:8080` → an HTTP monitor on the path; `tcp::PORT` → a CONNECT monitor; none
    /// without a check. (A Cloud Load Balancer checks each node on the node's own port.)
    static func monitor(_ check: HealthCheckSpec?) -> JSONValue? {
        guard let check else { return nil }
        if check.connectsOnly {
            return ["type": "CONNECT", "delay": 10, "timeout": 5, "attemptsBeforeDeactivation": 3]
        }
        // `HealthCheckSpec` holds http, https or tcp only.
        return [
            "type": .string(check.proto.uppercased()), "path": .string(check.path.isEmpty ? "/" : check.path), "delay": 10,
            "timeout": 5, "attemptsBeforeDeactivation": 3, "statusRegex": "^[23][0-9][0-9]$", "bodyRegex": ".*",
        ]
    }
}
