import CatalyzeDrivers
import CatalyzeModel

/// One resource kind on Rackspace, in one place: how it is created, updated and deleted, how refresh
/// reads it back from the batch of list calls, and how catalyze's tags are set on it.
///
/// The driver reaches a handler only through `RackspaceHandlers.table`, keyed by kind, never by a
/// `switch` on the kind. The `Registry` build plugin lists every conformance
/// (`registeredRackspaceResourceHandler`): a new kind is a new handler file and nothing else here.
// @registry
protocol RackspaceResourceHandler: Sendable {
    /// Handlers hold no state: the table makes each once.
    init()

    /// The kind this handler realises.
    var kind: ResourceKind { get }

    /// The batched list calls `read` needs; refresh makes each call once, however many handlers
    /// need it.
    var lists: Set<RackspaceList> { get }

    /// Carries out one create, update or delete in `region`.
    func apply(_ request: ApplyRequest, driver: RackspaceDriver, region: String) async throws -> ApplyResponse

    /// Appends the pod's resources of this kind that `batch` holds. Makes no call.
    func read(_ batch: RackspaceBatch, into found: inout [LiveResource])

    /// Sets `request.set` and removes `request.remove` where this kind keeps catalyze's tags.
    func tag(_ request: TagRequest, driver: RackspaceDriver) async throws -> TagResponse
}

extension ApplyRequest {
    /// The spec decoded as its kind's typed spec (for a create or update: a delete works from what
    /// was recorded); a spec that does not decode is an invalid spec naming the key.
    func typed<Spec: KindSpec>(_: Spec.Type) throws -> Spec {
        do { return try Spec(spec) } catch { throw DriverError.invalidSpec(address: spec.address, reason: error.description) }
    }

    /// The cloud id of the dependency at `address` (an address a typed spec names).
    func dependencyID(of address: ResourceAddress) throws -> String {
        guard let resource = dependencies[address] else {
            throw DriverError.missingDependency(address: spec.address, dependency: address)
        }
        return resource.cloudID
    }
}
