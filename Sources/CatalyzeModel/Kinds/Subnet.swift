extension KindDefinition {
    /// The rules of `ResourceKind.subnet`.
    public static let subnet = KindDefinition(
        name: "subnet", rank: 12, spec: SubnetSpec.self, replaceOnChange: ["network", "cidr", "zone", "tier"], referenceKeys: ["network"],
        providers: [.aws])
}

extension ResourceKind {
    /// One subnet of a network catalyze makes, beyond the network's own (the first zone's private
    /// subnet): the second zone's private subnet, and the public subnets of an internet-facing load
    /// balancer (AWS: an EC2 subnet). AWS only: a Rackspace network is one Neutron subnet.
    public static let subnet = ResourceKind(.subnet)
}

/// A `subnet`. Attributes `network` (address), `cidr`, `zone`, `tier` (`private` or `public`).
public struct SubnetSpec: KindSpec {
    /// Who reaches a subnet's addresses.
    public enum Tier: String, Hashable, Sendable, CaseIterable {
        /// The containers' hosts and internal load balancers: no route from or to the internet.
        case `private`
        /// An internet-facing load balancer's nodes: routed through the internet gateway.
        case `public`
    }

    public static var kind: ResourceKind { .subnet }
    public static var definition: KindDefinition { .subnet }
    /// The network it divides.
    public var network: ResourceAddress
    /// Its block, inside the network's.
    public var cidr: String
    /// Its availability zone.
    public var zone: String
    /// Private or public.
    public var tier: Tier

    /// Creates the spec.
    public init(network: ResourceAddress, cidr: String, zone: String, tier: Tier) {
        self.network = network
        self.cidr = cidr
        self.zone = zone
        self.tier = tier
    }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        let reader = AttributeReader(attributes)
        network = try reader.address("network")
        cidr = try reader.required("cidr")
        zone = try reader.required("zone")
        let text = try reader.required("tier")
        guard let tier = Tier(rawValue: text) else { throw MalformedSpecText(what: "attribute 'tier'", text: text, form: "private or public") }
        self.tier = tier
    }

    public var attributes: [String: String] {
        ["network": network.description, "cidr": cidr, "zone": zone, "tier": tier.rawValue]
    }
}
