import ArgumentParser
import CatalyzeAccess
import CatalyzeCore
import CatalyzeDrivers

extension Session {
    /// What every host made by this run boots with besides its spec: the pod's revocation list as
    /// the grants registry beside the lockfile has it now (its source of truth; the `.krl` file is
    /// the same list as last written), so a new, replaced or DR host refuses every certificate
    /// revoked before it was made. No registry yet: nothing was ever revoked, an empty list.
    func hostBoot() throws -> HostBoot {
        let service = AccessServiceFactory.service(AccessPaths(besideLockfile: options.statePath))
        do {
            return HostBoot(revocationList: try service.revocationList())
        } catch {
            printError("error: cannot read the pod's revocation list, which new hosts boot with: \(error)")
            throw ExitCode.failure
        }
    }
}
