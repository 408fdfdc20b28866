import CatalyzeCore
import CatalyzeDrivers
import Foundation

extension RackspaceDriver {
    /// backup_plan on Rackspace: not realised yet; refused with an error naming the address.
    func applyBackupPlan(_ request: ApplyRequest, region: String) async throws -> ApplyResponse {
        if request.operation == .delete { return ApplyResponse(resource: nil) }
        throw DriverError.invalidSpec(
            address: request.spec.address, reason: "Rackspace Cloud Backup is not supported by this driver yet")
    }
}
