import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeRackspace
import CatalyzeTestSupport
import Foundation
import Testing

/// `check` reads each volume type's encryption spec (Block Storage `GET /types`, `GET
/// /types/{id}/encryption`, as our mimic plugin catalyze_block_storage.py serves them: SATA and SSD
/// without one, LUKS with one) before a plan proposes an encrypted pod.
@Suite struct RackspaceEncryptionCheckTests {
    func spec(_ kind: ResourceKind, _ name: String, _ attributes: [String: String]) -> ResourceSpec {
        ResourceSpec(
            address: ResourceAddress(region: "primary", kind: kind, name: name), kind: kind, provider: .rax, cloudRegion: "ORD",
            attributes: attributes)
    }

    func key(_ volumeType: String?) -> ResourceSpec {
        var attributes = ["alias": "catalyze/acme/primary"]
        attributes["volume_type"] = volumeType
        return spec(.key, "storage", attributes)
    }

    @Test func aVolumeTypeWithoutAnEncryptionSpecIsRefusedNamingItAndWhatToDo() async throws {
        let harness = try RackspaceTestHarness("enccheck")
        let driver = harness.driver()
        let error = await #expect(throws: DriverError.self) {
            try await driver.check(CheckRequest(region: "ORD", desired: [key("SSD")], live: []))
        }
        guard case let .invalidSpec(address, reason)? = error else {
            Issue.record("expected invalidSpec, got \(String(describing: error))")
            return
        }
        #expect(address == key(nil).address)
        #expect(reason.contains("volume type 'SSD' in ORD does not encrypt") && reason.contains("'LUKS'"), "\(reason)")
        // The encrypting type named, or none named (discovered): nothing to say.
        try await driver.check(CheckRequest(region: "ORD", desired: [key("LUKS")], live: []))
        try await driver.check(CheckRequest(region: "ORD", desired: [key(nil)], live: []))
        // A type the region does not have.
        await #expect(throws: DriverError.self) { try await driver.check(CheckRequest(region: "ORD", desired: [key("NVMe")], live: [])) }
        // No encrypted volumes wanted: nothing is read.
        try await driver.check(CheckRequest(region: "ORD", desired: [], live: []))
    }

    @Test func anExistingVolumeOfANonEncryptingTypeIsReportedNotReplaced() async throws {
        let harness = try RackspaceTestHarness("encexisting")
        let driver = harness.driver()
        // A volume made without the key (an older pod, or one whose encryption was off): no encrypting type.
        let plain = spec(.volume, "db01", ["size_gib": "10", "encrypted": "false", "zone": "ORD"])
        let made = try #require(try await driver.apply(ApplyRequest(
            operation: .create, pod: harness.pod, spec: plain, prior: nil, token: "t-vol", dependencies: [:], secrets: .none)).resource)
        let live = try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")).resources
        #expect(live.contains { $0.address == plain.address })
        let wanted = spec(.volume, "db01", ["size_gib": "10", "encrypted": "true", "zone": "ORD", "key": key(nil).address.description])
        let error = await #expect(throws: DriverError.self) {
            try await driver.check(CheckRequest(region: "ORD", desired: [key(nil), wanted], live: live))
        }
        guard case let .invalidSpec(address, reason)? = error else {
            Issue.record("expected invalidSpec, got \(String(describing: error))")
            return
        }
        #expect(address == plain.address)
        #expect(reason.contains("volume \(made.cloudID) is of volume type") && reason.contains("does not replace a volume"), "\(reason)")
        // The volume is still there: reported, never touched.
        let after = try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")).resources
        #expect(after.first { $0.address == plain.address }?.resource.cloudID == made.cloudID)
    }

    /// Reading encryption specs is an administrator API by default (Cinder policy
    /// `volume_extension:volume_type_encryption`). Our mimic plugin lets every account read them,
    /// more lenient than a real cloud, so the 403 a non-administrator gets is played by a fault
    /// transport in front of it: the check fails saying why, never treating the type as encrypting.
    @Test func anAccountThatMayNotReadEncryptionSpecsIsToldSo() async throws {
        let harness = try RackspaceTestHarness("enc403")
        let transport = RackspaceFaultTransport(CurlTransport()) { request, _ in
            guard request.url.path.hasSuffix("/encryption") else { return nil }
            let body = Data(#"{"forbidden": {"code": 403, "message": "Policy doesn't allow volume_extension:volume_type_encryption to be performed."}}"#.utf8)
            return HTTPResponse(status: 403, headers: ["content-type": "application/json"], body: body)
        }
        let driver = harness.driver(transport: transport)
        let error = await #expect(throws: DriverError.self) {
            try await driver.check(CheckRequest(region: "ORD", desired: [key("LUKS")], live: []))
        }
        guard case let .invalidSpec(_, reason)? = error else {
            Issue.record("expected invalidSpec, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("cannot verify that volume type") && reason.contains("HTTP 403"), "\(reason)")
    }
}
