import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeAccess

@Suite struct SSHPublicKeyTests {
    @Test func readsAKeyMadeBySSHKeygenAndAgreesOnItsFingerprint() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try SSHDCommand.makeKeyPair(at: folder.path("k"), comment: "bob@box")
        let key = try SSHPublicKey.load(from: folder.path("k.pub"))
        let listed = try SSHDCommand.sshKeygen(["-l", "-E", "sha256", "-f", folder.path("k.pub")])
        #expect(listed.status == 0)
        #expect(listed.output.contains(key.fingerprint))
        #expect(key.comment == "bob@box")
        let text = try String(contentsOfFile: folder.path("k.pub"), encoding: .utf8)
        #expect(key.authorizedKeyLine == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func equalityIgnoresTheComment() throws {
        let raw = [UInt8](repeating: 7, count: 32)
        #expect(try SSHPublicKey(ed25519: raw, comment: "a") == SSHPublicKey(ed25519: raw, comment: "b"))
    }

    @Test func refusesOtherKeyTypesAndCertificates() throws {
        #expect(throws: AccessError.self) { try SSHPublicKey(authorizedKeyLine: "ssh-rsa AAAAB3NzaC1yc2E= x", source: "k") }
        do {
            _ = try SSHPublicKey(authorizedKeyLine: "ssh-ed25519-cert-v01@openssh.com AAAA x", source: "k.pub")
            Issue.record("a certificate was accepted as a key")
        } catch let error as AccessError {
            #expect(error.description.contains("certificate"))
        }
        #expect(throws: AccessError.self) { try SSHPublicKey(authorizedKeyLine: "ssh-ed25519 !!!", source: "k") }
        #expect(throws: AccessError.self) { try SSHPublicKey(authorizedKeyLine: "", source: "k") }
    }
}
