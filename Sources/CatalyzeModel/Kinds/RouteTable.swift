extension KindDefinition {
    /// The rules of `ResourceKind.routeTable`.
    public static let routeTable = KindDefinition(
        name: "route_table", rank: 45, spec: RouteTableSpec.self, replaceOnChange: ["network"], emptyMeansNone: ["internet_gateway", "vpn"],
        inPlaceReferenceKeys: ["subnets", "internet_gateway", "vpn"], referenceKeys: ["network", "subnets", "internet_gateway", "vpn"],
        providers: [.aws])
}

extension ResourceKind {
    /// Where a group of the network's subnets send their traffic (AWS: a VPC route table with its
    /// subnet associations, a default route to the internet gateway for public subnets, and the
    /// VPN gateway's routes propagated into it). AWS only.
    public static let routeTable = ResourceKind(.routeTable)
}

/// A `route_table`. Attributes `network` (address), `subnets` (addresses, sorted; the network's own
/// address stands for its first subnet), `internet_gateway` (address: a default route `0.0.0.0/0`
/// to it), `vpn` (address: the VPN gateway's routes are propagated). Subnets, gateway and VPN
/// change in place.
public struct RouteTableSpec: KindSpec {
    public static var kind: ResourceKind { .routeTable }
    public static var definition: KindDefinition { .routeTable }
    /// The network whose subnets it routes.
    public var network: ResourceAddress
    /// The subnets associated with it, sorted.
    public var subnets: [ResourceAddress]
    /// The internet gateway its default route goes to; nil for none.
    public var internetGateway: ResourceAddress?
    /// The VPN whose gateway propagates routes into it; nil for none.
    public var vpn: ResourceAddress?

    /// Creates the spec (`subnets` are sorted).
    public init(network: ResourceAddress, subnets: [ResourceAddress], internetGateway: ResourceAddress? = nil, vpn: ResourceAddress? = nil) {
        self.network = network
        self.subnets = subnets.sorted()
        self.internetGateway = internetGateway
        self.vpn = vpn
    }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        let reader = AttributeReader(attributes)
        network = try reader.address("network")
        subnets = try reader.addresses("subnets").sorted()
        internetGateway = try reader.optionalAddress("internet_gateway")
        vpn = try reader.optionalAddress("vpn")
    }

    public var attributes: [String: String] {
        var attributes = ["network": network.description, "subnets": subnets.map(\.description).joined(separator: ",")]
        attributes.set("internet_gateway", internetGateway?.description)
        attributes.set("vpn", vpn?.description)
        return attributes
    }
}
