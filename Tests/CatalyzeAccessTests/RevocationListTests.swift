import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeAccess

@Suite struct RevocationListTests {
    func certificate(_ fixture: AccessFixture, serial: UInt64, by ca: CertificateAuthorityKey) throws -> String {
        let signed = try UserCertificate(
            publicKey: fixture.engineerKey, serial: serial, keyID: "k", principals: ["acme-app01"],
            validAfter: 0, validBefore: UInt64.max
        ).signed(by: ca, nonce: fixture.random.bytes(32))
        return try fixture.write(signed, as: "cert-\(serial).pub")
    }

    func query(_ fixture: AccessFixture, _ list: RevocationList, _ certificate: String) throws -> SSHDCommandResult {
        let path = fixture.folder.path("krl-\(list.version)")
        try Data(list.encoded()).write(to: URL(fileURLWithPath: path))
        return try SSHDCommand.sshKeygen(["-Q", "-f", path, certificate])
    }

    @Test func sshKeygenSeesTheRevokedSerialAndOnlyThatOne() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let list = RevocationList(version: 1, generatedAt: 1_790_000_000, revokedSerials: [fixture.ca.publicKey: [77, 5]])
        let revoked = try query(fixture, list, try certificate(fixture, serial: 77, by: fixture.ca))
        #expect(revoked.status != 0)
        #expect(revoked.output.contains("REVOKED"))
        let fine = try query(fixture, list, try certificate(fixture, serial: 78, by: fixture.ca))
        #expect(fine.status == 0, "\(fine.output) \(fine.errors)")
        #expect(fine.output.contains(": ok"))
    }

    @Test func aSerialRevokedForOneCADoesNotRevokeAnotherCAsCertificate() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let other = try CertificateAuthorityKey.generate(comment: "other", using: SeededRandomSource(seed: 7))
        let list = RevocationList(version: 2, generatedAt: 0, revokedSerials: [fixture.ca.publicKey: [77]])
        #expect(try query(fixture, list, try certificate(fixture, serial: 77, by: other)).status == 0)
    }

    @Test func anEmptyListIsValidAndRevokesNothing() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let list = RevocationList(version: 0, generatedAt: 0)
        let result = try query(fixture, list, try certificate(fixture, serial: 1, by: fixture.ca))
        #expect(result.status == 0, "\(result.errors)")
    }

    @Test func decodesWhatItEncodes() throws {
        let ca = try CertificateAuthorityKey.generate(comment: "c", using: SeededRandomSource(seed: 3))
        let list = RevocationList(version: 9, generatedAt: 123, comment: "x", revokedSerials: [ca.publicKey: [1, 2, 99]])
        let decoded = try RevocationList(decoding: list.encoded(), source: "mem")
        #expect(decoded == list)
        #expect(decoded.isRevoked(serial: 99, by: ca.publicKey))
        #expect(!decoded.isRevoked(serial: 3, by: ca.publicKey))
        #expect(throws: AccessError.self) { try RevocationList(decoding: [1, 2, 3], source: "junk") }
    }
}
