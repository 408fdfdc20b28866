import ArgumentParser
import CatalyzeAccess
import Foundation

/// The operator key: its public half is the manifest's `access.operatorPublicKey`, its private half
/// (`--operator-key` or `$CATALYZE_OPERATOR_KEY`, an OpenSSH Ed25519 private key file such as
/// `catalyze access ca init` writes) signs the audit entries of exposure changes and imports.
enum OperatorKey {
    /// The signer, checked against `access.operatorPublicKey`; nil when the manifest names none (the
    /// entry is then written unsigned and `audit --verify` counts it as such). With a public half
    /// named, a missing or other private key is an error before anything changes.
    static func signer(session: Session, path given: String?) throws -> AuditSigner? {
        let file = session.options.file
        let declared = try manifestPublicKey(
            session.declaredManifest.access.operatorPublicKey, name: "access.operatorPublicKey", file: file, folder: session.options.manifestFolder)
        return try signer(declared: declared, file: file, path: given, environment: session.environment)
    }

    /// The same, for a command that read the manifest's `access.operatorPublicKey` itself (`declared`,
    /// nil when the manifest names none) and takes the private half from `given` or `environment`.
    static func signer(declared: SSHPublicKey?, file: String, path given: String?, environment: [String: String]) throws -> AuditSigner? {
        guard let declared else {
            if given != nil {
                printError("error: --operator-key: \(file) names no access.operatorPublicKey to check it against; add 'operatorPublicKey: file:PATH' under 'access:'")
                throw ExitCode.failure
            }
            return nil
        }
        let fromEnvironment = environment["CATALYZE_OPERATOR_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        guard let path = given ?? fromEnvironment else {
            printError("error: \(file) names access.operatorPublicKey (\(declared.fingerprint)): the audit entry is signed with its private half; pass --operator-key FILE or set CATALYZE_OPERATOR_KEY")
            throw ExitCode.failure
        }
        let key = try reportingAccessFailures { try CertificateAuthorityKey.load(from: path) }
        guard key.publicKey == declared else {
            printError("error: --operator-key \(path) is \(key.publicKey.fingerprint), not the manifest's access.operatorPublicKey \(declared.fingerprint)")
            throw ExitCode.failure
        }
        return AuditSigner(key: key, role: .operator)
    }
}
