import CatalyzeAccess
import CatalyzeCore
import Foundation

/// The access service as every command uses it: the system clock and randomness, and this user's
/// audit witness (`$XDG_STATE_HOME/catalyze/audit-witness`, else `~/.local/state/…`), which
/// remembers the newest audit head seen for each state folder so that `access audit --verify`
/// catches a folder put back from an older copy.
enum AccessServiceFactory {
    /// The service for the access files in `paths`.
    static func service(_ paths: AccessPaths, policy: GrantPolicy = .standard) -> AccessService {
        AccessService(
            paths: paths, clock: SystemClock(), random: SystemRandomSource(), policy: policy,
            witness: witnessDirectory().map { AuditWitness(directory: $0, folder: paths.folder) })
    }

    /// Where witnesses live, or nil when there is no home to keep them in.
    static func witnessDirectory() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/catalyze/audit-witness" }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return home + "/.local/state/catalyze/audit-witness"
    }
}
