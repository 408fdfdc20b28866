import CatalyzeCore
import Testing
@testable import CatalyzeAccess

@Suite struct HostLoginTests {
    @Test func pointsSSHDAtTheCAThePrincipalsAndTheKRL() throws {
        let ca = try CertificateAuthorityKey.generate(comment: "acme-ca", using: SeededRandomSource(seed: 1))
        let krl = RevocationList(version: 0, generatedAt: 0).encoded()
        let config = try HostLogin(
            ca: ca.publicKey, principal: try Principal(pod: "acme", region: "primary", container: "app01"), revocationList: krl)
        #expect(config.sshdConfigLines.contains("TrustedUserCAKeys /etc/ssh/catalyze/ca.pub"))
        #expect(config.sshdConfigLines.contains("AuthorizedPrincipalsFile /etc/ssh/catalyze/principals/%u"))
        #expect(config.sshdConfigLines.contains("RevokedKeys /etc/ssh/catalyze/krl/revoked.krl"))
        #expect(config.sshdConfigLines.contains("AuthorizedKeysFile none"))
        let files = Dictionary(uniqueKeysWithValues: config.files.map { ($0.path, $0) })
        #expect(files["/etc/ssh/catalyze/principals/support"]?.contents == Array("command=\"/etc/ssh/catalyze/session\" acme.primary.app01\n".utf8))
        #expect(files["/etc/ssh/catalyze/ca.pub"]?.contents == Array((ca.publicKey.authorizedKeyLine + "\n").utf8))
        #expect(files["/etc/ssh/catalyze/krl/revoked.krl"]?.contents == krl)
        #expect(config.files.allSatisfy { $0.mode == ([config.installerPath, config.sessionPath].contains($0.path) ? 0o755 : 0o644) })
        // The KRL account takes only push certificates, and only to run the installer.
        #expect(files["/etc/ssh/catalyze/principals/catalyze-krl"]?.contents
            == Array("restrict,command=\"/etc/ssh/catalyze/install-krl\" krl@acme.primary.app01\n".utf8))
    }
}
