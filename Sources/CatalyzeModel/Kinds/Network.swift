extension KindDefinition {
    /// The rules of `ResourceKind.network`.
    public static let network = KindDefinition(
        name: "network", rank: 10, spec: NetworkSpec.self, replaceOnChange: ["cidr", "subnet_cidr", "zone", "vpc", "subnets"])
}

extension ResourceKind {
    /// The pod's private network in one region (AWS: VPC + subnets; Rackspace: Neutron network +
    /// subnet), or an existing VPC the region names (see `NetworkSpec.Source`).
    public static let network = ResourceKind(.network)
}

/// A `network`: made by catalyze, or an existing one the manifest names.
public struct NetworkSpec: KindSpec {
    /// Where the network comes from.
    public enum Source: Hashable, Sendable {
        /// catalyze makes it. Attributes `cidr`, `subnet_cidr`, `zone`.
        case made(cidr: String, subnetCIDR: String, zone: String)
        /// An existing VPC and its subnets (AWS). Attributes `vpc`, `subnets` (comma-separated).
        case existing(vpc: String, subnets: [String])
    }

    public static var kind: ResourceKind { .network }
    public static var definition: KindDefinition { .network }
    /// Made or existing.
    public var source: Source

    /// Creates the spec.
    public init(_ source: Source) { self.source = source }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        let reader = AttributeReader(attributes)
        if let vpc = reader.optional("vpc"), !vpc.isEmpty {
            source = .existing(vpc: vpc, subnets: reader.list("subnets"))
        } else {
            source = .made(cidr: try reader.required("cidr"), subnetCIDR: try reader.required("subnet_cidr"), zone: reader.text("zone"))
        }
    }

    public var attributes: [String: String] {
        switch source {
        case let .made(cidr, subnetCIDR, zone): ["cidr": cidr, "subnet_cidr": subnetCIDR, "zone": zone]
        case let .existing(vpc, subnets): ["vpc": vpc, "subnets": subnets.joined(separator: ",")]
        }
    }
}
