extension KindDefinition {
    /// The rules of `ResourceKind.firewallRule`.
    public static let firewallRule = KindDefinition(
        name: "firewall_rule", rank: 30, spec: FirewallRuleSpec.self, replaceOnChange: ["firewall", "purpose", "protocol", "port", "cidr"], referenceKeys: ["firewall"])
}

extension ResourceKind {
    /// One separately switchable ingress rule of the firewall (customer access to logging or
    /// monitoring), so that switching access is one firewall call.
    public static let firewallRule = ResourceKind(.firewallRule)
}

/// A `firewall_rule`. Attributes `firewall` (address), `purpose`, `protocol`, `port` (`443` or
/// `1000-2000`), `cidr`.
public struct FirewallRuleSpec: KindSpec {
    public static var kind: ResourceKind { .firewallRule }
    public static var definition: KindDefinition { .firewallRule }
    /// The firewall it opens.
    public var firewall: ResourceAddress
    /// What it is for: `logging` or `monitoring`.
    public var purpose: String
    /// `tcp` or `udp`.
    public var proto: String
    /// One port or a range, as written.
    public var port: String
    /// The source network.
    public var cidr: String

    /// Creates the spec.
    public init(firewall: ResourceAddress, purpose: String, proto: String, port: String, cidr: String) {
        self.firewall = firewall
        self.purpose = purpose
        self.proto = proto
        self.port = port
        self.cidr = cidr
    }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        let reader = AttributeReader(attributes)
        firewall = try reader.address("firewall")
        purpose = reader.text("purpose")
        proto = try reader.required("protocol")
        port = try reader.required("port")
        cidr = try reader.required("cidr")
    }

    public var attributes: [String: String] {
        ["firewall": firewall.description, "purpose": purpose, "protocol": proto, "port": port, "cidr": cidr]
    }
}
