import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// The EC2 user data an instance boots with: `HostLogin`'s shell script, so the instance takes
/// only certificates from the customer's CA for its container's principal (the same files and
/// sshd lines the access tests run a real sshd on). Holds no secret: the CA key is the public half.
public struct BootConfiguration: Sendable, Hashable {
    /// What the host is configured with.
    public let login: HostLogin

    /// Validates the inputs (one OpenSSH public key line; principals of `[A-Za-z0-9._@-]`); a bad
    /// value is `DriverError.invalidSpec` naming the instance. `revocationList` is the pod's KRL of
    /// this moment, so a host made after a revocation refuses the revoked certificate from its first boot.
    public init(sshCA: String, principals: [String], revocationList: [UInt8] = [], address: ResourceAddress) throws(DriverError) {
        do throws(HostLogin.Invalid) {
            login = try HostLogin(caPublicKey: sshCA, principals: principals, revocationList: revocationList)
        } catch {
            throw .invalidSpec(address: address, reason: error.reason)
        }
    }

    /// The `sshd_config` lines this configuration installs.
    public var sshdConfig: String { login.sshdConfigLines.map { $0 + "\n" }.joined() }

    /// The POSIX shell script run at first boot.
    public var script: String { login.shellScript }
}
