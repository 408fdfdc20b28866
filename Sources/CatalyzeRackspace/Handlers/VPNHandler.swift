import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// `vpn`: Rackspace sells site-to-site VPN as a managed (RackConnect) service with no public
/// API, so the driver refuses it with a clear message instead of pretending. Refresh reports none;
/// there is nothing to tag.
struct VPNHandler: RackspaceResourceHandler {
    var kind: ResourceKind { .vpn }
    var lists: Set<RackspaceList> { [] }

    /// Refuses a create or update; a delete (of nothing made) succeeds.
    func apply(_ request: ApplyRequest, driver: RackspaceDriver, region: String) async throws -> ApplyResponse {
        if request.operation == .delete { return ApplyResponse(resource: nil) }
        throw DriverError.invalidSpec(
            address: request.spec.address,
            reason: "Rackspace has no site-to-site VPN API (it is a managed RackConnect service); place the VPN on AWS or order it from Rackspace")
    }

    func read(_ batch: RackspaceBatch, into found: inout [LiveResource]) {}

    func tag(_ request: TagRequest, driver: RackspaceDriver) async throws -> TagResponse { TagResponse(objects: 0) }
}
