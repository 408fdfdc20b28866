import CatalyzeDrivers
import CatalyzeModel

/// One resource kind on Rackspace, in one place: how it is created, updated and deleted, how refresh
/// reads it back from the batch of list calls, and how catalyze's tags are set on it.
///
/// The driver reaches a handler only through `RackspaceHandlers.table`, keyed by kind, never by a
/// `switch` on the kind: a new kind is a new handler file and one line in that table.
protocol RackspaceResourceHandler: Sendable {
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
