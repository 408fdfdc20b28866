import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

extension RackspaceDriver {
    /// Finds a pod's resources by their tags with one list call per resource type (pagination
    /// aside), made once for every handler that needs it (`RackspaceList` names each call): servers
    /// (metadata); load balancers (metadata; one detail call per balancer *named* for the pod, one
    /// SSL termination read for a balancer with an https listener) and their nodes (from that
    /// detail: a node whose address is a pod server's, tagged on that server by `lb_target`, is
    /// reported as that target); networks, security groups and rules (descriptions); volumes and
    /// their attachments (metadata); and keys: volume types carry no tags, so a key is reported as
    /// the encrypted type that the pod's volumes name in their `catalyze:key` metadata, while that
    /// type still exists.
    ///
    /// Backup plans: Cloud Backup agents once, then one configuration list per database server's agent
    /// (see `podBackupConfigurations`). Not reported: `vpn` (none on Rackspace). Attributes never reported: an instance's `ssh_ca`.
    ///
    /// The calls are made first, into one `RackspaceBatch`; each kind's handler then reads its
    /// resources from that batch, in kind rank order.
    public func refresh(_ request: RefreshRequest) async throws -> RefreshResponse {
        let handlers = RackspaceHandlers.ranked
        let batch = try await batch(handlers.reduce(into: []) { $0.formUnion($1.lists) }, pod: request.pod, region: request.region)
        var found: [LiveResource] = []
        for handler in handlers { handler.read(batch, into: &found) }
        return RefreshResponse(resources: found)
    }
}
