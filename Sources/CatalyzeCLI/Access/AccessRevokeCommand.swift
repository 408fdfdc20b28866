import ArgumentParser
import CatalyzeAccess
import CatalyzeCore

/// `catalyze access revoke SERIAL`: add a certificate to the pod's revocation list.
struct AccessRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a grant: its serial goes into the OpenSSH revocation list the pod's hosts read.",
        discussion: """
            --ca is the customer's CA private key: it signs the revocation's audit entry. Hosts boot with the \
            revocation list of that moment; --push delivers the new one to the running hosts at once, as \
            `catalyze access push-krl` does.
            """)

    @OptionGroup var options: AccessOptions
    @OptionGroup var push: PushOptions

    @Flag(name: .customLong("push"), help: "Also push the new revocation list to the running hosts (needs --ca).")
    var pushNow = false

    @Argument(help: "The certificate serial (see `catalyze access list`).")
    var serial: String

    func run() async throws {
        guard let parsed = CertificateSerial(parsing: serial) else {
            throw failAccess("'\(serial)' is not a certificate serial (a positive whole number; see `catalyze access list`)")
        }
        guard let caPath = push.ca else {
            throw failAccess("--ca: a revocation is signed in the audit log with the customer's CA key (the grants' signer); pass its path")
        }
        let result = try reportingAccessFailures {
            let ca = try CertificateAuthorityKey.load(from: caPath)
            return try AccessServiceFactory.service(options.paths)
                .revoke(serial: parsed, actor: try options.actor, signer: AuditSigner(key: ca, role: .ca))
        }
        let grant = result.grant
        if result.alreadyRevoked {
            print("Serial \(grant.serial) (\(grant.engineer), \(grant.principal)) was already revoked at \(AccessViews.time(grant.revokedAt ?? grant.issuedAt)).")
        } else {
            print("Revoked serial \(grant.serial) (\(grant.engineer), \(grant.principal)).")
            print("Revocation list: \(result.revocationListPath); hosts read it as sshd RevokedKeys.")
        }
        if pushNow {
            if try await push.run(options) { throw ExitCode.failure }
        } else {
            print("Running hosts still have the previous list: deliver it with `catalyze access push-krl --ca CA_KEY`.")
        }
    }
}
