import CatalyzeCore
import CatalyzeModel

/// One resource as the lockfile records it: where it lives in the cloud and how it was made.
///
/// Holds no secret by construction: attributes and outputs are the non-secret values a driver
/// reports (a secret is only ever named by a `SecretReference`). Placement (host, zone) lives in
/// the attributes, as `ResourceKind` lists them.
public struct ResourceRecord: Codable, Sendable, Equatable, Hashable {
    /// Its address in the pod, e.g. `primary/instance.app01`.
    public var address: ResourceAddress
    /// What it is.
    public var kind: ResourceKind
    /// Which cloud.
    public var provider: Provider
    /// The cloud's own region name, e.g. `us-east-1` or `ORD`.
    public var cloudRegion: String
    /// The cloud's id for it (instance id, ARN, server UUID, …).
    public var cloudID: String
    /// Its attributes as last applied / refreshed (keys per `ResourceKind`). Never secret values.
    public var attributes: [String: String]
    /// Extra non-secret values the cloud assigned (ARNs, DNS names, private IPs).
    public var outputs: [String: String]
    /// The addresses it depends on, sorted.
    public var dependencies: [ResourceAddress]
    /// The write-ahead idempotency token of the operation that created it.
    public var token: String

    /// Creates a record.
    public init(
        address: ResourceAddress, kind: ResourceKind, provider: Provider, cloudRegion: String, cloudID: String,
        attributes: [String: String] = [:], outputs: [String: String] = [:], dependencies: [ResourceAddress] = [],
        token: String
    ) {
        self.address = address
        self.kind = kind
        self.provider = provider
        self.cloudRegion = cloudRegion
        self.cloudID = cloudID
        self.attributes = attributes
        self.outputs = outputs
        self.dependencies = dependencies.sorted()
        self.token = token
    }

    /// Records what a driver returned for a spec, with the token of the operation that made it.
    ///
    /// Attributes are the spec's desired attributes overlaid with what the cloud reported (an empty
    /// reported value means the cloud cannot tell, and leaves the desired value in place).
    public init(spec: ResourceSpec, resource: CloudResource, token: String) {
        self.init(
            address: spec.address, kind: spec.kind, provider: spec.provider, cloudRegion: spec.cloudRegion,
            cloudID: resource.cloudID,
            attributes: spec.attributes.merging(resource.attributes.filter { !$0.value.isEmpty }) { _, cloud in cloud },
            outputs: resource.outputs, dependencies: spec.dependencies, token: token)
    }

    /// The cloud's view of this resource, as drivers take it (`ApplyRequest.prior`, dependencies).
    public var cloudResource: CloudResource {
        CloudResource(cloudID: cloudID, attributes: attributes, outputs: outputs)
    }

    /// The resource as a spec (what it was last applied as), e.g. for a delete request.
    public var spec: ResourceSpec {
        ResourceSpec(address: address, kind: kind, provider: provider, cloudRegion: cloudRegion, attributes: attributes)
    }

    enum CodingKeys: String, CodingKey {
        case address, kind, provider, token, attributes, outputs, dependencies
        case cloudRegion = "cloud_region"
        case cloudID = "cloud_id"
    }
}
