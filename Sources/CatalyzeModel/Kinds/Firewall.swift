extension KindDefinition {
    /// The rules of `ResourceKind.firewall`.
    public static let firewall = KindDefinition(
        name: "firewall", rank: 20, spec: FirewallSpec.self, replaceOnChange: ["network"], referenceKeys: ["network"])
}

extension ResourceKind {
    /// The pod's firewall in one region (a security group) with its base ingress rules.
    public static let firewall = ResourceKind(.firewall)
}

/// A `firewall`. Attributes `network` (address), `ingress` (canonical rule list, `IngressRuleSpec`).
public struct FirewallSpec: KindSpec {
    public static var kind: ResourceKind { .firewall }
    public static var definition: KindDefinition { .firewall }
    /// The network it belongs to.
    public var network: ResourceAddress
    /// Its base ingress rules (encoded sorted and without repeats).
    public var ingress: [IngressRuleSpec]

    /// Creates the spec.
    public init(network: ResourceAddress, ingress: [IngressRuleSpec]) {
        self.network = network
        self.ingress = ingress
    }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        let reader = AttributeReader(attributes)
        network = try reader.address("network")
        ingress = try IngressRuleSpec.list(canonical: reader.text("ingress"))
    }

    public var attributes: [String: String] {
        ["network": network.description, "ingress": IngressRuleSpec.canonical(ingress)]
    }
}
