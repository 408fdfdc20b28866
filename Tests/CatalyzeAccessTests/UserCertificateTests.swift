import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeAccess

@Suite struct UserCertificateTests {
    func sample(_ fixture: AccessFixture, options: [String: String] = [:]) -> UserCertificate {
        UserCertificate(
            publicKey: fixture.engineerKey, serial: 12_345_678_901_234, keyID: "alice for acme-app01: ticket 4711",
            principals: ["acme-app01"], validAfter: 1_790_000_000, validBefore: 1_790_003_600,
            criticalOptions: options, extensions: ["permit-pty": ""])
    }

    @Test func sshKeygenAcceptsTheCertificateAndReadsEveryField() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let signed = try sample(fixture, options: ["source-address": "127.0.0.2/32"]).signed(by: fixture.ca, nonce: fixture.random.bytes(32))
        let listed = try fixture.inspect(try fixture.write(signed, as: "engineer-cert.pub"))
        #expect(listed.status == 0, "\(listed.errors)")
        let text = listed.output
        #expect(text.contains("Type: ssh-ed25519-cert-v01@openssh.com user certificate"))
        #expect(text.contains("Public key: ED25519-CERT \(fixture.engineerKey.fingerprint)"))
        #expect(text.contains("Signing CA: ED25519 \(fixture.ca.publicKey.fingerprint)"))
        #expect(text.contains("Key ID: \"alice for acme-app01: ticket 4711\""))
        #expect(text.contains("Serial: 12345678901234"))
        #expect(text.contains("Valid: from \(Self.local(1_790_000_000)) to \(Self.local(1_790_003_600))"))
        #expect(text.contains("acme-app01"))
        #expect(text.contains("source-address 127.0.0.2/32"))
        #expect(text.contains("permit-pty"))
        for other in ["permit-port-forwarding", "permit-agent-forwarding", "permit-X11-forwarding", "permit-user-rc"] {
            #expect(!text.contains(other))
        }
    }

    /// How ssh-keygen prints a time: local time, seconds precision.
    static func local(_ seconds: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    @Test func flippingOneSignedByteMakesSSHKeygenRejectIt() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let signed = try sample(fixture).signed(by: fixture.ca, nonce: fixture.random.bytes(32))
        var blob = signed.blob
        blob[60] ^= 0x01  // inside the nonce, which the signature covers
        let tampered = SignedCertificate(certificate: signed.certificate, blob: blob)
        #expect(try fixture.inspect(try fixture.write(signed, as: "good-cert.pub")).status == 0)
        #expect(try fixture.inspect(try fixture.write(tampered, as: "bad-cert.pub")).status != 0)
    }

    @Test func optionsAreSortedAndNonEmptyValuesWrapped() throws {
        let encoded = UserCertificate.encodeOptions(["b": "", "a": "x"])
        var reader = SSHWireReader(encoded)
        #expect(try reader.text() == "a")
        var inner = SSHWireReader(try reader.string())
        #expect(try inner.text() == "x")
        #expect(try reader.text() == "b")
        #expect(try reader.string().isEmpty)
        #expect(reader.isAtEnd)
    }
}
