extension KindDefinition {
    /// The rules of `ResourceKind.vpcEndpoint`.
    public static let vpcEndpoint = KindDefinition(
        name: "vpc_endpoint", rank: 47, spec: VPCEndpointSpec.self, replaceOnChange: ["network", "service"],
        inPlaceReferenceKeys: ["route_tables"], referenceKeys: ["network", "route_tables"], providers: [.aws])
}

extension ResourceKind {
    /// A private subnet's way to one AWS service without the internet (AWS: a gateway VPC endpoint,
    /// whose route the endpoint adds to each of its route tables). AWS only.
    public static let vpcEndpoint = ResourceKind(.vpcEndpoint)
}

/// A `vpc_endpoint`. Attributes `network` (address), `service` (the service's short name, e.g. `s3`:
/// the endpoint serves `com.amazonaws.<region>.<service>`), `route_tables` (addresses, sorted;
/// changed in place).
public struct VPCEndpointSpec: KindSpec {
    public static var kind: ResourceKind { .vpcEndpoint }
    public static var definition: KindDefinition { .vpcEndpoint }
    /// The network it serves.
    public var network: ResourceAddress
    /// The service's short name (`s3`).
    public var service: String
    /// The route tables that get its route, sorted.
    public var routeTables: [ResourceAddress]

    /// Creates the spec (`routeTables` are sorted).
    public init(network: ResourceAddress, service: String, routeTables: [ResourceAddress]) {
        self.network = network
        self.service = service
        self.routeTables = routeTables.sorted()
    }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        let reader = AttributeReader(attributes)
        network = try reader.address("network")
        service = try reader.required("service")
        guard service.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
            throw MalformedSpecText(what: "attribute 'service'", text: service, form: "a service's short name such as s3")
        }
        routeTables = try reader.addresses("route_tables").sorted()
    }

    public var attributes: [String: String] {
        ["network": network.description, "service": service, "route_tables": routeTables.map(\.description).joined(separator: ",")]
    }
}
