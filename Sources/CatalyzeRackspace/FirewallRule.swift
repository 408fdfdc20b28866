import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// One ingress rule in catalyze's canonical form: `proto/port/cidr` or `proto/from-to/cidr`.
struct FirewallRule: Hashable, Sendable, Comparable {
    var proto: String
    var from: Int
    var to: Int
    var cidr: String

    /// The canonical text.
    var text: String { from == to ? "\(proto)/\(from)/\(cidr)" : "\(proto)/\(from)-\(to)/\(cidr)" }

    static func < (lhs: FirewallRule, rhs: FirewallRule) -> Bool { lhs.text < rhs.text }

    /// Parses one rule; nil when malformed.
    init?(_ text: Substring) {
        let parts = text.split(separator: "/", maxSplits: 2)
        guard parts.count == 3 else { return nil }
        let range = parts[1].split(separator: "-")
        guard let low = Int(range.first ?? ""), let high = range.count > 1 ? Int(range[1]) : low else { return nil }
        proto = parts[0].lowercased()
        from = low
        to = high
        cidr = String(parts[2])
    }

    init(proto: String, from: Int, to: Int, cidr: String) {
        self.proto = proto
        self.from = from
        self.to = to
        self.cidr = cidr
    }

    /// Parses a `;`-joined list, throwing `invalidSpec` for the first bad rule.
    static func list(_ text: String, address: ResourceAddress) throws -> [FirewallRule] {
        try text.split(separator: ";").map { item in
            guard let rule = FirewallRule(item) else {
                throw DriverError.invalidSpec(address: address, reason: "firewall rule '\(item)' is not proto/port/cidr")
            }
            return rule
        }
    }

    /// A Neutron ingress rule read back; nil for egress or rules without ports.
    init?(neutron rule: JSONValue) {
        guard rule["direction"].string == "ingress", let proto = rule["protocol"].string,
              let low = rule["port_range_min"].int
        else { return nil }
        self.init(proto: proto, from: low, to: rule["port_range_max"].int ?? low, cidr: rule["remote_ip_prefix"].string ?? "0.0.0.0/0")
    }

    /// The Neutron `security_group_rule` body.
    func neutron(group: String, description: String) -> JSONValue {
        [
            "security_group_rule": [
                "security_group_id": .string(group), "direction": "ingress", "ethertype": "IPv4", "protocol": .string(proto),
                "port_range_min": .number(Double(from)), "port_range_max": .number(Double(to)),
                "remote_ip_prefix": .string(cidr), "description": .string(description),
            ]
        ]
    }
}
