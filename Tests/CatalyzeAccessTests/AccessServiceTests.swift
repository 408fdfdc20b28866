import CatalyzeCore
import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeAccess

/// Hands out the given serials for 8-byte draws and a fixed pattern for anything else (nonces).
final class ScriptedSerials: RandomSource, @unchecked Sendable {
    private var serials: [UInt64]
    private let lock = NSLock()
    init(_ serials: [UInt64]) { self.serials = serials }
    func bytes(_ count: Int) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        guard count == 8, !serials.isEmpty else { return [UInt8](repeating: 0xA5, count: count) }
        let value = serials.removeFirst()
        return (0..<8).map { UInt8(truncatingIfNeeded: value >> UInt64(56 - 8 * $0)) }
    }
}

@Suite struct AccessServiceTests {
    /// The region a grant opens is evidence too: a registry edited to say another region fails verify.
    @Test func auditVerifyCatchesARegistryWhoseRegionWasEdited() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let service = fixture.service()
        _ = try service.grant(try fixture.request(ttl: "1h"), ca: fixture.ca, actor: "customer")
        #expect(try service.verifyAudit().problems.isEmpty)
        let text = try String(contentsOfFile: fixture.paths.registry, encoding: .utf8)
        #expect(text.contains("\"region\" : \"primary\""))
        try text.replacingOccurrences(of: "\"region\" : \"primary\"", with: "\"region\" : \"dr\"")
            .write(toFile: fixture.paths.registry, atomically: true, encoding: .utf8)
        #expect(try service.verifyAudit().problems.contains { if case .grantDiffers(_, "region") = $0 { true } else { false } })
    }

    @Test func grantSignsForThePrincipalWithSkewAndTTLAndRecordsIt() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let result = try fixture.service().grant(try fixture.request(ttl: "2h"), ca: fixture.ca, actor: "customer")
        let certificate = result.certificate.certificate
        #expect(certificate.principals == ["acme.primary.app01"])
        #expect(certificate.validAfter == 1_790_000_000 - 120)
        #expect(certificate.validBefore == 1_790_000_000 + 7_200)
        #expect(certificate.keyID == "alice for acme.primary.app01: ticket 4711")
        #expect(certificate.extensions == ["permit-pty": ""])
        #expect(certificate.criticalOptions.isEmpty)
        #expect(result.grant.serial.value == certificate.serial)
        #expect(try fixture.inspect(try fixture.write(result.certificate, as: "c.pub")).status == 0)
        let audit = try fixture.service().auditEntries()
        #expect(audit.count == 1)
        #expect(audit[0].kind == .grant)
        #expect(audit[0].details["serial"] == result.grant.serial.description)
        #expect(audit[0].details["emergency"] == "false")
        #expect(audit[0].details["region"] == "primary" && audit[0].details["principal_form"] == "scoped")
        #expect(FileManager.default.fileExists(atPath: fixture.paths.revocationList))
        #expect(try fixture.service().verifyAudit().isIntact)
    }

    @Test func emergencyGrantsAreCappedAndMarked() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let service = fixture.service()
        #expect(throws: AccessError.ttlOverCap(requested: TimeSpan(seconds: 7_200), cap: TimeSpan(seconds: 3_600), emergency: true)) {
            try service.grant(try fixture.request(ttl: "2h", emergency: true), ca: fixture.ca, actor: "customer")
        }
        #expect(throws: AccessError.emergencyNeedsReason) {
            try service.grant(try fixture.request(ttl: "30m", reason: nil, emergency: true), ca: fixture.ca, actor: "customer")
        }
        let result = try service.grant(try fixture.request(ttl: "30m", emergency: true), ca: fixture.ca, actor: "customer")
        #expect(result.certificate.certificate.keyID.hasPrefix("EMERGENCY "))
        #expect(result.grant.emergency)
        #expect(try service.auditEntries().last?.details["emergency"] == "true")
    }

    @Test func ordinaryGrantsAreCappedAtEightHoursByDefault() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        #expect(throws: AccessError.self) {
            try fixture.service().grant(try fixture.request(ttl: "8h1s"), ca: fixture.ca, actor: "customer")
        }
        #expect(try GrantRegistry.load(from: fixture.paths.registry).grants.isEmpty)
        #expect(try fixture.service().auditEntries().isEmpty)
    }

    @Test func serialsSkipZeroAndTakenValues() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let service = AccessService(paths: fixture.paths, clock: FixedClock(AccessFixture.epoch), random: ScriptedSerials([5, 5, 0, 6]))
        #expect(try service.grant(try fixture.request(), ca: fixture.ca, actor: "c").grant.serial.value == 5)
        #expect(try service.grant(try fixture.request(), ca: fixture.ca, actor: "c").grant.serial.value == 6)
    }

    @Test func revokeListsTheSerialInTheKRLAndAuditsOnce() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let service = fixture.service()
        let kept = try service.grant(try fixture.request(container: "app02"), ca: fixture.ca, actor: "customer")
        let result = try service.grant(try fixture.request(), ca: fixture.ca, actor: "customer")
        let revoked = try fixture.service(at: AccessFixture.epoch.addingTimeInterval(60)).revoke(serial: result.grant.serial, actor: "customer")
        #expect(!revoked.alreadyRevoked)
        let again = try service.revoke(serial: result.grant.serial, actor: "customer")
        #expect(again.alreadyRevoked)
        let query = try SSHDCommand.sshKeygen(["-Q", "-f", fixture.paths.revocationList, try fixture.write(result.certificate, as: "r.pub")])
        #expect(query.status != 0)
        #expect(query.output.contains("REVOKED"))
        let other = try SSHDCommand.sshKeygen(["-Q", "-f", fixture.paths.revocationList, try fixture.write(kept.certificate, as: "k.pub")])
        #expect(other.status == 0)
        #expect(try service.auditEntries().map(\.kind) == [.grant, .grant, .revoke])
        // The version follows the clock (microseconds) so that no two lists ever share one.
        #expect(try GrantRegistry.load(from: fixture.paths.registry).revocationListVersion == 1_790_000_060_000_000)
        #expect(throws: AccessError.grantNotFound(serial: CertificateSerial(1), registry: fixture.paths.registry)) {
            try service.revoke(serial: CertificateSerial(1), actor: "customer")
        }
    }

    @Test func listShowsActiveExpiredAndRevokedGrants() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let early = try fixture.service().grant(try fixture.request(ttl: "1h"), ca: fixture.ca, actor: "c")
        let later = fixture.service(at: AccessFixture.epoch.addingTimeInterval(2 * 3_600))
        let active = try later.grant(try fixture.request(ttl: "1h"), ca: fixture.ca, actor: "c")
        let gone = try later.grant(try fixture.request(container: "db01", ttl: "1h"), ca: fixture.ca, actor: "c")
        _ = try later.revoke(serial: gone.grant.serial, actor: "c")
        let listing = try later.list()
        let statuses = Dictionary(uniqueKeysWithValues: listing.map { ($0.grant.serial, $0.status) })
        #expect(statuses == [early.grant.serial: .expired, active.grant.serial: .active, gone.grant.serial: .revoked])
        #expect(listing.last?.grant.serial == early.grant.serial)
    }

    @Test func refusesToCertifyTheCAKey() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        var request = try fixture.request()
        request.publicKey = fixture.ca.publicKey
        #expect(throws: AccessError.certifyingCAKey) { try fixture.service().grant(request, ca: fixture.ca, actor: "c") }
    }

    @Test func noPrivateKeyMaterialReachesTheRegistryTheAuditOrTheKRL() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let service = fixture.service()
        let result = try service.grant(try fixture.request(), ca: fixture.ca, actor: "customer")
        _ = try service.revoke(serial: result.grant.serial, actor: "customer")
        // The secret half of an Ed25519 key is its 32-byte seed; look for it raw, in hex and in base64.
        let seed = Array(fixture.ca.signingKey.rawRepresentation)
        let hex = seed.map { String(format: "%02x", $0) }.joined()
        let base64 = Data(seed).base64EncodedString().dropLast(4)
        for path in [fixture.paths.registry, fixture.paths.auditLog, fixture.paths.revocationList] {
            let data = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("PRIVATE KEY"))
            #expect(!text.contains(hex), "\(path) holds the CA seed in hex")
            #expect(!text.contains(base64), "\(path) holds the CA seed in base64")
            #expect(!data.indices.dropLast(31).contains { data[$0..<$0 + 32].elementsEqual(seed) }, "\(path) holds the raw CA seed")
        }
    }
}
