import ArgumentParser
import CatalyzeAccess
import CatalyzeCore
import Foundation

/// `catalyze access revoke SERIAL`: add a certificate to the pod's revocation list.
struct AccessRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a grant: its serial goes into the OpenSSH revocation list the pod's hosts read.",
        discussion: """
            The revocation's audit entry is signed by exactly one key: the customer's CA private key (--ca) \
            or, so that an emergency revoke never waits for the customer, the operator key (--operator-key or \
            $CATALYZE_OPERATOR_KEY, the private half of the manifest's access.operatorPublicKey). \
            `catalyze access audit --verify` accepts a revocation signed by either. Hosts boot with the \
            revocation list of that moment; --push delivers the new one to the running hosts at once, as \
            `catalyze access push-krl` does (that push is signed with the CA key, so it needs --ca).
            """)

    @OptionGroup var options: AccessOptions
    @OptionGroup var push: PushOptions

    @Flag(name: .customLong("push"), help: "Also push the new revocation list to the running hosts (needs --ca).")
    var pushNow = false

    @Option(name: .customLong("operator-key"), help: ArgumentHelp(
        "Sign the audit entry with the private half of the manifest's access.operatorPublicKey instead of --ca (default: $CATALYZE_OPERATOR_KEY when no --ca is given).",
        valueName: "file"), completion: .file())
    var operatorKey: String?

    @Argument(help: "The certificate serial (see `catalyze access list`).")
    var serial: String

    func run() async throws {
        guard let parsed = CertificateSerial(parsing: serial) else {
            throw failAccess("'\(serial)' is not a certificate serial (a positive whole number; see `catalyze access list`)")
        }
        let environment = ProcessInfo.processInfo.environment
        let signer: AuditSigner
        switch (push.ca, operatorKey) {
        case (.some, .some):
            throw failAccess("--ca and --operator-key: the revocation is signed by exactly one key; pass one of them")
        case (let caPath?, nil):
            signer = AuditSigner(key: try reportingAccessFailures { try CertificateAuthorityKey.load(from: caPath) }, role: .ca)
        case (nil, let given):
            guard given != nil || !(environment["CATALYZE_OPERATOR_KEY"] ?? "").isEmpty else {
                throw failAccess("--ca or --operator-key: a revocation is signed in the audit log with the customer's CA key or the operator key (access.operatorPublicKey); pass the path of one")
            }
            if pushNow {
                throw failAccess("--push: the push is signed with the customer's CA key; pass --ca, or revoke now and push with `catalyze access push-krl --ca CA_KEY` later")
            }
            let declared = try options.publicKey(try options.manifest()?.access.operatorPublicKey, name: "access.operatorPublicKey")
            guard declared != nil else {
                throw failAccess("--operator-key: \(options.file) names no access.operatorPublicKey to check it against; add 'operatorPublicKey: file:PATH' under 'access:'")
            }
            guard let operatorSigner = try OperatorKey.signer(declared: declared, file: options.file, path: given, environment: environment) else {
                throw ExitCode.failure
            }
            signer = operatorSigner
        }
        let result = try reportingAccessFailures {
            try AccessServiceFactory.service(options.paths).revoke(serial: parsed, actor: try options.actor, signer: signer)
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
