import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// The user data (cloud-init, on the config drive) a server boots with: `HostLogin`'s
/// `#cloud-config`, so the server takes only certificates from the customer's CA for its
/// container's principal (the same files and sshd lines the access tests run a real sshd on).
enum ServerBoot {
    /// The `#cloud-config` document for `sshCA` (may be empty: no certificate logins) and
    /// `principals`, with the pod's KRL of this moment (`revocationList`: a server made after a
    /// revocation refuses the revoked certificate from its first boot); a bad value is
    /// `DriverError.invalidSpec` naming the server.
    static func userData(
        sshCA: String, principals: [String], revocationList: [UInt8] = [], address: ResourceAddress
    ) throws(DriverError) -> String {
        do throws(HostLogin.Invalid) {
            return try HostLogin(caPublicKey: sshCA, principals: principals, revocationList: revocationList).cloudConfig
        } catch {
            throw .invalidSpec(address: address, reason: error.reason)
        }
    }
}
