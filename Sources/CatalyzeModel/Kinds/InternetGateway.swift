extension KindDefinition {
    /// The rules of `ResourceKind.internetGateway`.
    public static let internetGateway = KindDefinition(
        name: "internet_gw", rank: 14, spec: InternetGatewaySpec.self, replaceOnChange: ["network"], referenceKeys: ["network"],
        providers: [.aws])
}

extension ResourceKind {
    /// The network's way to and from the internet (AWS: an internet gateway attached to the VPC),
    /// made only when the region's load balancer is internet-facing. AWS only.
    public static let internetGateway = ResourceKind(.internetGateway)
}

/// An `internet_gw` (an internet gateway; the name fits the 15 bytes a kind name is kept inline in). Attribute `network` (address): the network it is attached to.
public struct InternetGatewaySpec: KindSpec {
    public static var kind: ResourceKind { .internetGateway }
    public static var definition: KindDefinition { .internetGateway }
    /// The network it is attached to.
    public var network: ResourceAddress

    /// Creates the spec.
    public init(network: ResourceAddress) { self.network = network }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        network = try AttributeReader(attributes).address("network")
    }

    public var attributes: [String: String] { ["network": network.description] }
}
