/// One resource as the manifest and the scheduler want it to be. Contains no secret.
public struct ResourceSpec: Hashable, Sendable, Codable {
    /// Its address in the pod, e.g. `primary/instance.app01`.
    public var address: ResourceAddress
    /// What it is.
    public var kind: ResourceKind
    /// Which cloud.
    public var provider: Provider
    /// The cloud's own region name, e.g. `us-east-1` or `ORD`.
    public var cloudRegion: String
    /// Its desired attributes (see `ResourceKind` for the keys). Never secret values.
    public var attributes: [String: String]

    /// Creates a spec.
    public init(
        address: ResourceAddress, kind: ResourceKind, provider: Provider, cloudRegion: String,
        attributes: [String: String]
    ) {
        self.address = address
        self.kind = kind
        self.provider = provider
        self.cloudRegion = cloudRegion
        self.attributes = attributes
    }

    /// The addresses this resource refers to (through `kind.referenceKeys`; a key may hold a
    /// comma-separated list of addresses), sorted.
    public var dependencies: [ResourceAddress] { addresses(in: kind.referenceKeys).sorted() }

    /// The dependencies that are not through `kind.inPlaceReferenceKeys`: made anew, they replace this resource.
    public var replacingDependencies: [ResourceAddress] {
        let inPlace = Set(addresses(in: kind.inPlaceReferenceKeys))
        return dependencies.filter { !inPlace.contains($0) }
    }

    /// The addresses the attributes `keys` hold (each a comma-separated list).
    private func addresses(in keys: some Sequence<String>) -> [ResourceAddress] {
        keys.compactMap { attributes[$0] }.flatMap { $0.split(separator: ",").map(String.init) }
            .compactMap(ResourceAddress.init(parsing:))
    }
}

/// A resource as it exists in the cloud: its id there plus what the cloud reports.
public struct CloudResource: Hashable, Sendable, Codable {
    /// The cloud's id (instance id, volume id, ARN, server UUID, …).
    public var cloudID: String
    /// The attributes as the cloud reports them, using the same keys as `ResourceSpec.attributes`.
    public var attributes: [String: String]
    /// Extra non-secret values the cloud assigned (ARNs, DNS names, host ids, private IPs).
    public var outputs: [String: String]

    /// Creates a cloud resource.
    public init(cloudID: String, attributes: [String: String] = [:], outputs: [String: String] = [:]) {
        self.cloudID = cloudID
        self.attributes = attributes
        self.outputs = outputs
    }
}
