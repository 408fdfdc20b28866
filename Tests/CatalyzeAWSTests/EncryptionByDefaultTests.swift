@testable import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Foundation
import Testing

/// EBS encryption by default, switched on with a hipaa pod's key (`encryption_by_default`): on,
/// never off, the account's default key left alone. Against moto, with catalyze's extension that
/// makes the switch encrypt new volumes as AWS does (`install_ebs_encryption_by_default`).
@Suite struct EncryptionByDefaultTests {
    static func isOn(_ moto: MotoFixture, _ region: String = "us-east-1") async throws -> Bool {
        let reply = try await moto.driver.client.query(.ec2, "GetEbsEncryptionByDefault", region: region, [:])
        return reply.string("ebsEncryptionByDefault") == "true"
    }

    static func unaskedVolume(_ moto: MotoFixture) async throws -> XMLNode {
        let made = try await moto.driver.client.query(
            .ec2, "CreateVolume", region: "us-east-1", ["AvailabilityZone": "us-east-1a", "Size": "1"], idempotent: false)
        let id = try #require(made.string("volumeId"))
        let reply = try await moto.driver.client.query(.ec2, "DescribeVolumes", region: "us-east-1", ["VolumeId.1": id])
        return try #require(reply.list("volumeSet").first)
    }

    @Test func theKeySwitchesItOnRefreshReadsItAndDestroyLeavesIt() async throws {
        let moto = try MotoFixture()
        #expect(try await !Self.isOn(moto), "a fresh moto account starts with it off, as AWS accounts do")
        let spec = moto.spec(.key, "storage", ["alias": "catalyze/acme-\(moto.account)", "encryption_by_default": "true"])
        let key = try #require(try await moto.apply(.create, spec, pod: "acme", token: "t-key"))
        #expect(key.attributes["encryption_by_default"] == "true")
        #expect(try await Self.isOn(moto))
        #expect(try await !Self.isOn(moto, "us-west-2"), "only the pod's region")

        // Every new volume is now encrypted, under the account's default EBS key (moto's
        // `alias/aws/ebs`), not the pod's key: catalyze does not change the account's default key.
        let plain = try await Self.unaskedVolume(moto)
        #expect(plain.string("encrypted") == "true")
        let defaultKey = plain.string("kmsKeyId") ?? ""
        #expect(!defaultKey.isEmpty && !AWSDriver.sameKey(defaultKey, key.cloudID))

        // Refresh reads it back; switched off outside catalyze it is drift, and an update puts it back.
        func live() async throws -> String? {
            try await moto.driver.refresh(RefreshRequest(pod: "acme", region: "us-east-1")).resources
                .first { $0.address == spec.address }?.resource.attributes["encryption_by_default"]
        }
        #expect(try await live() == "true")
        _ = try await moto.driver.client.query(.ec2, "DisableEbsEncryptionByDefault", region: "us-east-1", [:])
        #expect(try await live() == "false")
        moto.counter.reset()
        let updated = try await moto.apply(.update, spec, pod: "acme", token: "t-key-2", prior: key)
        #expect(updated?.attributes["encryption_by_default"] == "true")
        #expect(moto.counter.perKey["EnableEbsEncryptionByDefault"] == 1)
        #expect(try await Self.isOn(moto))

        // Already on: an update only reads it.
        moto.counter.reset()
        _ = try await moto.apply(.update, spec, pod: "acme", token: "t-key-3", prior: key)
        #expect(moto.counter.perKey["EnableEbsEncryptionByDefault"] == nil && moto.counter.perKey["GetEbsEncryptionByDefault"] == 1)

        // Destroy: the key goes (scheduled for deletion), the account's setting stays on.
        _ = try await moto.apply(.delete, spec, pod: "acme", token: "t-key-del", prior: key)
        #expect(try await Self.isOn(moto))
        #expect(moto.counter.perKey["DisableEbsEncryptionByDefault"] == nil)
    }

    /// A key that does not ask for it (Rackspace's, a dev pod's) leaves the setting alone.
    @Test func aKeyWithoutItLeavesTheSettingAlone() async throws {
        let moto = try MotoFixture()
        let spec = moto.spec(.key, "storage", ["alias": "catalyze/acme-\(moto.account)"])
        let key = try #require(try await moto.apply(.create, spec, pod: "acme", token: "t-key"))
        #expect(key.attributes["encryption_by_default"] == nil)
        #expect(try await !Self.isOn(moto))
        #expect(try await Self.unaskedVolume(moto).string("encrypted") == "false", "moto as it is while the switch is off")
    }
}
