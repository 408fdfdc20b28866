import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// A rule as Neutron security groups take it and report it.
extension IngressRuleSpec {
    /// A Neutron ingress rule read back; nil for egress or rules without ports.
    init?(neutron rule: JSONValue) {
        guard rule["direction"].string == "ingress", let proto = rule["protocol"].string,
              let low = rule["port_range_min"].int
        else { return nil }
        self.init(proto: proto, fromPort: low, toPort: rule["port_range_max"].int ?? low, cidr: rule["remote_ip_prefix"].string ?? "0.0.0.0/0")
    }

    /// The Neutron `security_group_rule` body of a CIDR rule (a group source is refused before).
    func neutron(group: String, description: String) -> JSONValue {
        [
            "security_group_rule": [
                "security_group_id": .string(group), "direction": "ingress", "ethertype": "IPv4", "protocol": .string(proto),
                "port_range_min": .number(Double(fromPort)), "port_range_max": .number(Double(toPort)),
                "remote_ip_prefix": .string(cidr ?? ""), "description": .string(description),
            ]
        ]
    }
}
