import CatalyzeCore
import CatalyzeDrivers

/// The user data (cloud-init, on the config drive) a server boots with: `HostLogin`'s
/// `#cloud-config`, so the server takes only certificates from the customer's CA for its
/// container's principal (the same files and sshd lines the access tests run a real sshd on).
enum ServerBoot {
    /// The `#cloud-config` document for `sshCA` (may be empty: no certificate logins) and
    /// `principals`; a bad value is `DriverError.invalidSpec` naming the server.
    static func userData(sshCA: String, principals: [String], address: ResourceAddress) throws(DriverError) -> String {
        do throws(HostLogin.Invalid) {
            return try HostLogin(caPublicKey: sshCA, principals: principals).cloudConfig
        } catch {
            throw .invalidSpec(address: address, reason: error.reason)
        }
    }
}
