import CatalyzeCore

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

/// A resource found in the cloud by its catalyze tags during refresh.
public struct LiveResource: Hashable, Sendable, Codable {
    /// From the `catalyze:address` tag.
    public var address: ResourceAddress
    /// What it is.
    public var kind: ResourceKind
    /// The cloud's view of it.
    public var resource: CloudResource
    /// From the `catalyze:op` tag: the idempotency token of the operation that created it.
    public var operationToken: String?
    /// From the `catalyze:lineage` tag: the lineage of the lockfile that made (or imported) it; nil
    /// when the tag is missing (made by a release before 0.2.0, or by hand). A resource that lives
    /// on another's tags (a firewall rule, an attachment, a load-balancer target) carries its
    /// carrier's lineage.
    public var lineage: String?
    /// From the `catalyze:lease` tag (on a region's firewall): an apply of its lineage is running.
    public var lease: LineageLease?

    /// Creates a live resource.
    public init(
        address: ResourceAddress, kind: ResourceKind, resource: CloudResource, operationToken: String?,
        lineage: String? = nil, lease: LineageLease? = nil
    ) {
        self.address = address
        self.kind = kind
        self.resource = resource
        self.operationToken = operationToken
        self.lineage = lineage
        self.lease = lease
    }

    /// The same resource with the lineage and lease read from `tags` (`catalyze:lineage`, `catalyze:lease`).
    public func carrying(_ tags: [String: String]) -> LiveResource {
        var copy = self
        copy.lineage = tags[CatalyzeTag.lineage].flatMap { $0.isEmpty ? nil : $0 }
        copy.lease = tags[CatalyzeTag.lease].flatMap { LineageLease(tagValue: $0, lineage: copy.lineage ?? "") }
        return copy
    }
}

/// The tag (AWS) / metadata (Rackspace) keys catalyze puts on everything it creates.
public enum CatalyzeTag {
    /// The pod's name.
    public static let pod = "catalyze:pod"
    /// The resource's address in the lockfile.
    public static let address = "catalyze:address"
    /// The write-ahead idempotency token of the operation that created it.
    public static let operation = "catalyze:op"
    /// The lineage of the lockfile that owns it (set in the create call itself; `import` re-tags).
    public static let lineage = "catalyze:lineage"
    /// On a region's firewall while an apply runs: `LineageLease.tagValue` (expiry and holder).
    public static let lease = "catalyze:lease"
    /// Marks a dedicated host as part of catalyze's fleet (any value).
    public static let fleet = "catalyze:fleet"
    /// On an instance/server: the address of the `lb_target` that put it behind a balancer.
    public static let lbTarget = "catalyze:lb-target"
    /// On an instance/server: the token of the operation that made that `lb_target`.
    public static let lbTargetOperation = "catalyze:lb-target-op"
}
