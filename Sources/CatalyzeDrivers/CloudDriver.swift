import CatalyzeCore
import CatalyzeModel

/// What every cloud driver does. One request and one response type per call.
///
/// Contract (checked by the shared conformance suite against each driver's real emulator):
/// - `fleet` lists only hosts marked `catalyze:fleet`, with capacity, allocation and metrics.
/// - `refresh` finds a pod's resources by their `catalyze:pod` tag with a number of API calls that
///   does not grow with the number of resources (batched list calls, pagination aside).
/// - `apply(.create)` tags what it makes with `catalyze:pod`, `catalyze:address`, `catalyze:op`
///   (the request's token) and, when the request has one, `catalyze:lineage`, in the create call itself;
///   `refresh` reads the lineage back (`LiveResource.lineage`), and `tag` changes it in place. Called again with the same token — after a crash, a timeout or an
///   ambiguous 5xx — it returns the resource made the first time instead of making a second.
/// - `apply(.delete)` of something already gone succeeds.
/// - An instance is created on exactly the host named by its `host` attribute; a driver that cannot
///   confirm that throws `DriverError.placementMismatch`.
public protocol CloudDriver: Sendable {
    /// Which cloud this driver speaks to.
    var provider: Provider { get }

    /// The dedicated hosts of one region, with their metrics.
    func fleet(_ request: FleetRequest) async throws -> FleetResponse

    /// The live resources of one pod in one region, found by tag.
    func refresh(_ request: RefreshRequest) async throws -> RefreshResponse

    /// Carries out one create, update or delete.
    func apply(_ request: ApplyRequest) async throws -> ApplyResponse

    /// Sets or removes catalyze's own tags on one existing resource in place (its lineage when an
    /// older release made it or `import` takes it over; the apply lease on a network), on every
    /// cloud object the resource is made of. Nothing else about the resource changes.
    func tag(_ request: TagRequest) async throws -> TagResponse

    /// Checks, before a plan proposes them, that the cloud can make what one region's desired
    /// resources ask for and that what is already there keeps their promises (Rackspace: the
    /// volume type of an encrypted pod really encrypts). Throws the first problem, at the address
    /// of the resource it is about. Reads only; the default checks nothing.
    func check(_ request: CheckRequest) async throws
}

extension CloudDriver {
    /// Checks nothing: the cloud's own validation at apply is all there is.
    public func check(_ request: CheckRequest) async throws {}
}

/// Input of `CloudDriver.check`.
public struct CheckRequest: Sendable {
    /// Cloud region.
    public var region: String
    /// The resources the plan wants in that region.
    public var desired: [ResourceSpec]
    /// The pod's live resources in that region, as refresh found them.
    public var live: [LiveResource]
    /// Creates the request.
    public init(region: String, desired: [ResourceSpec], live: [LiveResource]) {
        self.region = region
        self.desired = desired
        self.live = live
    }
}

/// Input of `CloudDriver.tag`.
public struct TagRequest: Sendable {
    /// The pod's name.
    public var pod: String
    /// The cloud region.
    public var region: String
    /// The resource's address.
    public var address: ResourceAddress
    /// What it is.
    public var kind: ResourceKind
    /// The resource as recorded or found (its cloud id and outputs name the objects to tag).
    public var resource: CloudResource
    /// Tags to set (key → value), e.g. `catalyze:lineage`.
    public var set: [String: String]
    /// Tag keys to remove.
    public var remove: [String]

    /// Creates the request.
    public init(
        pod: String, region: String, address: ResourceAddress, kind: ResourceKind, resource: CloudResource,
        set: [String: String], remove: [String] = []
    ) {
        self.pod = pod
        self.region = region
        self.address = address
        self.kind = kind
        self.resource = resource
        self.set = set
        self.remove = remove
    }
}

/// Output of `CloudDriver.tag`.
public struct TagResponse: Sendable {
    /// How many cloud objects were tagged (a VPC and its subnets count as three).
    public var objects: Int
    /// Creates the response.
    public init(objects: Int) { self.objects = objects }
}

/// Input of `CloudDriver.fleet`.
public struct FleetRequest: Sendable {
    /// Cloud region, e.g. `us-east-1`.
    public var region: String
    /// Creates the request.
    public init(region: String) { self.region = region }
}

/// Output of `CloudDriver.fleet`.
public struct FleetResponse: Sendable {
    /// The hosts, sorted by id.
    public var hosts: [FleetHost]
    /// Creates the response.
    public init(hosts: [FleetHost]) { self.hosts = hosts.sorted { $0.id < $1.id } }
}

/// Input of `CloudDriver.refresh`.
public struct RefreshRequest: Sendable {
    /// The pod's name (the `catalyze:pod` tag value).
    public var pod: String
    /// Cloud region.
    public var region: String
    /// Existing resources the manifest names instead of having them made (an AWS VPC), by address,
    /// with the attributes that name them: refresh reports each one that still exists.
    public var references: [ResourceAddress: [String: String]]
    /// Creates the request.
    public init(pod: String, region: String, references: [ResourceAddress: [String: String]] = [:]) {
        self.pod = pod
        self.region = region
        self.references = references
    }
}

/// Output of `CloudDriver.refresh`.
public struct RefreshResponse: Sendable {
    /// What was found, sorted by address.
    public var resources: [LiveResource]
    /// Creates the response.
    public init(resources: [LiveResource]) { self.resources = resources.sorted { $0.address < $1.address } }
}

/// Input of `CloudDriver.apply`.
public struct ApplyRequest: Sendable {
    /// Create, update or delete.
    public var operation: Operation
    /// The pod's name.
    public var pod: String
    /// The desired resource (for delete: the resource as last recorded).
    public var spec: ResourceSpec
    /// The resource as recorded in the lockfile (nil for create).
    public var prior: CloudResource?
    /// The idempotency token, already written to the journal before this call.
    public var token: String
    /// The recorded cloud resources this one refers to, by address (see `ResourceSpec.dependencies`).
    public var dependencies: [ResourceAddress: CloudResource]
    /// Resolves a secret reference at the moment of use (TLS private keys, imported key material).
    public var secrets: SecretResolver
    /// True only when nothing can have been made with `token` yet: the plan minted it (no earlier
    /// apply was interrupted with it, no live resource carries it) and this is its first call. A
    /// driver may then create without first looking for an earlier attempt's resource; after an
    /// ambiguous failure it must still look before creating again. False (the default) when in doubt.
    public var firstUse: Bool
    /// For an `lb_target` create or update: wait until the balancer reports the target healthy
    /// (AWS `DescribeTargetHealth`, Rackspace node `status` `ONLINE`), at most this long, polling
    /// with backoff; a target still not healthy then is `DriverError.unhealthy`. Nil: do not wait.
    public var healthWait: Duration?
    /// What a host made by this request boots with besides its spec (the current revocation list).
    public var hostBoot: HostBoot
    /// The lockfile's lineage, written as `catalyze:lineage` by a create in the create call itself
    /// (nil: no lineage tag, as before 0.2.0).
    public var lineage: String?

    /// Creates the request.
    public init(
        operation: Operation, pod: String, spec: ResourceSpec, prior: CloudResource?, token: String,
        dependencies: [ResourceAddress: CloudResource], secrets: SecretResolver, firstUse: Bool = false,
        healthWait: Duration? = nil, hostBoot: HostBoot = HostBoot(), lineage: String? = nil
    ) {
        self.healthWait = healthWait
        self.lineage = lineage
        self.operation = operation
        self.pod = pod
        self.spec = spec
        self.prior = prior
        self.token = token
        self.dependencies = dependencies
        self.secrets = secrets
        self.firstUse = firstUse
        self.hostBoot = hostBoot
    }

    /// The cloud id of the resource that attribute `key` refers to, or a `DriverError.missingDependency`.
    public func dependencyID(_ key: String) throws -> String {
        guard let text = spec.attributes[key], let address = ResourceAddress(parsing: text) else {
            throw DriverError.invalidSpec(address: spec.address, reason: "attribute '\(key)' is not an address")
        }
        guard let resource = dependencies[address] else {
            throw DriverError.missingDependency(address: spec.address, dependency: address)
        }
        return resource.cloudID
    }
}

/// Output of `CloudDriver.apply`.
public struct ApplyResponse: Sendable {
    /// The resource after the action (nil after a delete).
    public var resource: CloudResource?
    /// Creates the response.
    public init(resource: CloudResource?) { self.resource = resource }
}

/// Turns a `SecretReference` into the secret, only when a driver needs it.
public struct SecretResolver: Sendable {
    private let resolve: @Sendable (SecretReference) throws -> Secret

    /// Creates a resolver from a function.
    public init(_ resolve: @escaping @Sendable (SecretReference) throws -> Secret) { self.resolve = resolve }

    /// Resolves one reference.
    public func secret(for reference: SecretReference) throws -> Secret { try resolve(reference) }

    /// A resolver that refuses every reference (for plans, which never need secrets).
    public static let none = SecretResolver { reference in throw DriverError.secretUnavailable(reference) }
}
