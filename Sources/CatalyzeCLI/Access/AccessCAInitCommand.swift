import ArgumentParser
import CatalyzeAccess

/// `catalyze access ca init --out PATH`: the customer's Ed25519 CA key pair.
struct AccessCAInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the customer's CA key pair (private key: <out>, mode 0600; public key: <out>.pub).",
        discussion: """
            The private key is written only to <out>, in the OpenSSH format (ssh-keygen -y -f <out> reads it). \
            catalyze never copies it into the lockfile, a log or the audit. Keep it with the customer; set \
            access.caPublicKey: file:<out>.pub in pod.yaml so every host trusts it.
            """)

    @Option(help: "Where to write the private key (must not exist).", completion: .file())
    var out: String

    @Option(help: "The key's comment.")
    var comment: String = "catalyze customer CA"

    func run() throws {
        let key = try reportingAccessFailures {
            try CertificateAuthorityKey.create(at: out, comment: comment, using: SystemRandomSource())
        }
        print("Wrote the CA private key to \(out) (mode 0600). Keep it with the customer, offline if possible.")
        print("Public key: \(out).pub (\(key.publicKey.fingerprint)).")
        print("Hosts trust it once pod.yaml says access.caPublicKey: file:\(out).pub")
    }
}
