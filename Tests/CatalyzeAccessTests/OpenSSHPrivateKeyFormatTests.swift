import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeAccess

@Suite struct OpenSSHPrivateKeyFormatTests {
    @Test func sshKeygenReadsTheKeyWeWrite() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let text = try String(contentsOfFile: fixture.caPath, encoding: .utf8)
        #expect(text.hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----\n"))
        let derived = try SSHDCommand.sshKeygen(["-y", "-f", fixture.caPath])
        #expect(derived.status == 0, "\(derived.errors)")
        let derivedKey = try SSHPublicKey(authorizedKeyLine: derived.output, source: "ssh-keygen -y")
        #expect(derivedKey == fixture.ca.publicKey)
    }

    @Test func readsAKeyMadeBySSHKeygen() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try SSHDCommand.makeKeyPair(at: folder.path("ca"), comment: "made-by-ssh-keygen")
        let key = try CertificateAuthorityKey.load(from: folder.path("ca"))
        #expect(key.publicKey == (try SSHPublicKey.load(from: folder.path("ca.pub"))))
        #expect(key.publicKey.comment == "made-by-ssh-keygen")
    }

    @Test func roundTripsThroughItsOwnDecoder() throws {
        let random = SeededRandomSource(seed: 9)
        let key = try CertificateAuthorityKey.generate(comment: "c", using: random)
        let decoded = try OpenSSHPrivateKeyFormat.decode(OpenSSHPrivateKeyFormat.encode(key, using: random), source: "mem")
        #expect(decoded.publicKey == key.publicKey)
        // Same check integer source → byte-identical files: the private half survived the round trip.
        #expect(
            OpenSSHPrivateKeyFormat.encode(decoded, using: SeededRandomSource(seed: 1))
                == OpenSSHPrivateKeyFormat.encode(key, using: SeededRandomSource(seed: 1)))
    }

    @Test func refusesAnEncryptedKeyWithoutShowingIt() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let made = try SSHDCommand.sshKeygen(["-q", "-t", "ed25519", "-N", "passphrase", "-f", folder.path("enc")])
        #expect(made.status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: folder.path("enc"))
        let text = try String(contentsOfFile: folder.path("enc"), encoding: .utf8)
        do {
            _ = try CertificateAuthorityKey.load(from: folder.path("enc"))
            Issue.record("an encrypted key was accepted")
        } catch let error as AccessError {
            #expect(error.description.contains("encrypted"))
            let body = text.split(separator: "\n").dropFirst().first.map(String.init) ?? "?"
            #expect(!error.description.contains(body))
        }
    }

    @Test func refusesTextThatIsNotAKey() {
        #expect(throws: AccessError.self) { try OpenSSHPrivateKeyFormat.decode("hello", source: "x") }
        let bogus = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"
        #expect(throws: AccessError.self) { try OpenSSHPrivateKeyFormat.decode(bogus, source: "x") }
    }
}
