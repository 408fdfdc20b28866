import CatalyzeDrivers
import CatalyzeModel

/// Everything the AWS driver does for one resource kind: create, update and delete (`apply`), the
/// read-back of what refresh listed (`read`) and catalyze's tags in place (`tag`).
///
/// One conformance per kind, each in its own file under `Handlers/`. The `Registry` build plugin
/// lists every conformance (`registeredAWSResourceHandler`, also through `EC2TaggedHandler`), which
/// makes `AWSDriver.handlers`; `apply`, `refresh` and `tag` go through that table and never name a
/// kind. A new kind is a new handler file and nothing else here.
// @registry
protocol AWSResourceHandler: Sendable {
    /// Handlers hold no state: the table makes each once.
    init()

    /// The kind this handler realises.
    var kind: ResourceKind { get }

    /// The batched list calls `read` uses: refresh makes each call some handler names, once,
    /// whatever the pod's size (see `AWSListCall`).
    var lists: Set<AWSListCall> { get }

    /// Carries out one create, update or delete; nil when nothing is left (a delete).
    func apply(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource?

    /// Turns the batch's list results into this kind's live resources. Handlers run in kind rank
    /// order, so `live.addresses` already maps the cloud ids of every earlier kind to their
    /// addresses (a volume's key, an instance's network and firewall). A read may make calls of its
    /// own where a kind's parts are described per resource (a balancer's listeners); each is
    /// named in `AWSDriver.refresh`'s list.
    func read(_ batch: AWSRefreshBatch, into live: inout LiveSet, driver: AWSDriver) async throws

    /// Sets `request.set` and removes `request.remove` on every cloud object the resource is made of.
    func tag(_ request: TagRequest, driver: AWSDriver) async throws -> TagResponse
}

extension AWSDriver {
    /// `request`'s spec as its kind's typed spec (`KindSpec`), for a create or update: one that
    /// does not decode is `invalidSpec` for its address, naming the attribute.
    static func typed<Spec: KindSpec>(_ type: Spec.Type, _ request: ApplyRequest) throws(DriverError) -> Spec {
        do { return try Spec(request.spec) } catch { throw .invalidSpec(address: request.spec.address, reason: error.description) }
    }
}

extension ApplyRequest {
    /// The recorded resource at `address` (one a typed spec names), or `missingDependency`.
    func dependency(at address: ResourceAddress) throws(DriverError) -> CloudResource {
        guard let resource = dependencies[address] else { throw .missingDependency(address: spec.address, dependency: address) }
        return resource
    }
}

/// A kind whose tags live on EC2 objects (CreateTags / DeleteTags): only which objects differs.
protocol EC2TaggedHandler: AWSResourceHandler {
    /// The EC2 ids the resource is made of (its tags live on them).
    func ec2Objects(_ resource: CloudResource) -> [String]
}

extension EC2TaggedHandler {
    /// EC2 CreateTags / DeleteTags on `ec2Objects`, one call each for all of them.
    func tag(_ request: TagRequest, driver: AWSDriver) async throws -> TagResponse {
        let ids = ec2Objects(request.resource)
        guard !ids.isEmpty else { throw DriverError.invalidSpec(address: request.address, reason: "no cloud id to tag") }
        try await driver.queryTagging(
            .ec2, set: ("CreateTags", "Tag"), remove: ("DeleteTags", "Tag", ".Key"), objects: ("ResourceId", ids),
            request: request, sortedSet: request.set.sorted { $0.key < $1.key })
        return TagResponse(objects: ids.count)
    }
}
