import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeAccess

@Suite struct CertificateAuthorityKeyTests {
    @Test func createWritesAPrivateKeyOnlyTheOwnerCanRead() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let privateMode = try FileManager.default.attributesOfItem(atPath: fixture.caPath)[.posixPermissions] as? Int
        let publicMode = try FileManager.default.attributesOfItem(atPath: fixture.caPath + ".pub")[.posixPermissions] as? Int
        #expect(privateMode == 0o600)
        #expect(publicMode == 0o644)
        #expect(try SSHPublicKey.load(from: fixture.caPath + ".pub") == fixture.ca.publicKey)
    }

    @Test func createNeverOverwritesAnExistingKey() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let before = try String(contentsOfFile: fixture.caPath, encoding: .utf8)
        #expect(throws: AccessError.fileExists(path: fixture.caPath + ".pub")) {
            try CertificateAuthorityKey.create(at: fixture.caPath, comment: "again", using: SystemRandomSource())
        }
        try FileManager.default.removeItem(atPath: fixture.caPath + ".pub")
        #expect(throws: AccessError.fileExists(path: fixture.caPath)) {
            try CertificateAuthorityKey.create(at: fixture.caPath, comment: "again", using: SystemRandomSource())
        }
        #expect(try String(contentsOfFile: fixture.caPath, encoding: .utf8) == before)
    }

    @Test func loadRefusesAKeyOthersCanRead() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: fixture.caPath)
        #expect(throws: AccessError.caKeyTooOpen(path: fixture.caPath, mode: 0o644)) {
            try CertificateAuthorityKey.load(from: fixture.caPath)
        }
    }

    @Test func printingTheKeyRevealsOnlyTheFingerprint() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let printed = "\(fixture.ca) \(String(reflecting: fixture.ca))"
        #expect(printed.contains("<redacted>"))
        #expect(printed.contains(fixture.ca.publicKey.fingerprint))
        let body = try String(contentsOfFile: fixture.caPath, encoding: .utf8).split(separator: "\n")[1]
        #expect(!printed.contains(body))
    }
}
