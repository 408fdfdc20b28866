extension KindDefinition {
    /// The rules of `ResourceKind.firewall`.
    public static let firewall = KindDefinition(
        name: "firewall", rank: 20, spec: FirewallSpec.self, replaceOnChange: ["network"], inPlaceReferenceKeys: ["sources"],
        referenceKeys: ["network", "sources"])
}

extension ResourceKind {
    /// One firewall of the pod in one region (a security group) with its base ingress rules: on AWS
    /// one per tier (`lb`, `app`, `api`, `db`, `logging`, `monitoring`), on Rackspace `main`.
    public static let firewall = ResourceKind(.firewall)
}

/// A `firewall`. Attributes `network` (address), `ingress` (canonical rule list, `IngressRuleSpec`),
/// `sources` (the other firewalls its rules admit, comma-separated addresses, absent when none: what it is made after;
/// a firewall made anew is followed in place, its rules authorized again with the new group).
public struct FirewallSpec: KindSpec {
    public static var kind: ResourceKind { .firewall }
    public static var definition: KindDefinition { .firewall }
    /// The network it belongs to.
    public var network: ResourceAddress
    /// Its base ingress rules (encoded sorted and without repeats).
    public var ingress: [IngressRuleSpec]
    /// The other firewalls its rules admit (encoded sorted and without repeats; a rule admitting the
    /// firewall's own members is no dependency).
    public var sources: [ResourceAddress]

    /// Creates the spec; `sources` are the groups of `ingress` other than `own`.
    public init(network: ResourceAddress, ingress: [IngressRuleSpec], own: ResourceAddress) {
        self.network = network
        self.ingress = ingress
        sources = Set(ingress.compactMap(\.source.group)).subtracting([own]).sorted()
    }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        let reader = AttributeReader(attributes)
        network = try reader.address("network")
        ingress = try IngressRuleSpec.list(canonical: reader.text("ingress"))
        sources = try reader.addresses("sources")
    }

    public var attributes: [String: String] {
        var attributes = ["network": network.description, "ingress": IngressRuleSpec.canonical(ingress)]
        // Absent when none: a firewall recorded before tiers (Rackspace's `main`) reads the same.
        attributes.set("sources", sources.isEmpty ? nil : Set(sources).sorted().map(\.description).joined(separator: ","))
        return attributes
    }
}
