@testable import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Foundation
import Testing

/// An instance's root volume is encrypted at launch with the pod's key (RunInstances
/// `BlockDeviceMapping` of the image's root device, `Ebs.Encrypted`, `Ebs.KmsKeyId`), as moto
/// reports it in DescribeVolumes, and refresh reads it back as `root_key`.
@Suite struct InstanceRootEncryptionTests {
    /// A network, firewall and key in a fresh moto account, and one host.
    static func pod(_ moto: MotoFixture) async throws -> (host: String, recorded: [ResourceAddress: CloudResource]) {
        let host = try #require(try await moto.allocateHosts(region: "us-east-1", zone: "us-east-1a", count: 1).first)
        var recorded: [ResourceAddress: CloudResource] = [:]
        for (spec, token) in [
            (moto.spec(.network, "main", ["cidr": "10.40.0.0/16", "subnet_cidr": "10.40.1.0/24", "zone": "us-east-1a"]), "t-net"),
            (moto.spec(.firewall, "main", ["network": "primary/network.main", "ingress": "tcp/443/0.0.0.0/0"]), "t-fw"),
            (moto.spec(.key, "storage", ["alias": "catalyze/acme-\(moto.account)"]), "t-key"),
        ] {
            recorded[spec.address] = try #require(try await moto.apply(.create, spec, pod: "acme", token: token, dependencies: recorded))
        }
        return (host, recorded)
    }

    static func instance(_ moto: MotoFixture, host: String, rootKey: String?) -> ResourceSpec {
        var attributes = ["role": "db", "vcpu": "2", "memory_mib": "4096", "host": host, "zone": "us-east-1a", "image": "",
                          "network": "primary/network.main", "firewall": "primary/firewall.main", "ssh_ca": "",
                          "principals": "acme.primary.db01", "port": "5432"]
        attributes["root_key"] = rootKey
        return moto.spec(.instance, "db01", attributes)
    }

    /// The volume moto reports by id.
    static func volume(_ moto: MotoFixture, _ id: String) async throws -> XMLNode? {
        let reply = try await moto.driver.client.query(.ec2, "DescribeVolumes", region: "us-east-1", ["VolumeId.1": id])
        return reply.list("volumeSet").first
    }

    @Test func theRootVolumeIsEncryptedWithThePodsKeyAndReadBack() async throws {
        let moto = try MotoFixture()
        let (host, recorded) = try await Self.pod(moto)
        let key = try #require(recorded[ResourceAddress(region: "primary", kind: .key, name: "storage")])
        let keyARN = try #require(key.outputs["arn"])
        #expect(keyARN.hasPrefix("arn:aws:kms:us-east-1:\(moto.account):key/"))

        let spec = Self.instance(moto, host: host, rootKey: "primary/key.storage")
        let made = try #require(try await moto.apply(.create, spec, pod: "acme", token: "t-db01", dependencies: recorded))
        #expect(made.attributes["root_key"] == "primary/key.storage")
        #expect(made.outputs["root_kms_key_id"] == keyARN)

        // Asked of moto directly: the instance's root device is that volume, encrypted with the pod's key.
        let described = try await moto.driver.client.query(.ec2, "DescribeInstances", region: "us-east-1", ["InstanceId.1": made.cloudID])
        let item = try #require(described.list("reservationSet").flatMap { $0.list("instancesSet") }.first)
        let rootName = try #require(item.string("rootDeviceName"))
        let mapping = try #require(item.list("blockDeviceMapping").first { $0.string("deviceName") == rootName })
        let rootID = try #require(mapping.string("ebs", "volumeId"))
        #expect(rootID == made.outputs["root_volume_id"])
        #expect(item.list("blockDeviceMapping").count == 1, "the image's root device itself, not an extra volume")
        let root = try #require(try await Self.volume(moto, rootID))
        #expect(root.string("encrypted") == "true")
        #expect(root.string("kmsKeyId") == keyARN)
        #expect(root.tags[CatalyzeTag.pod] == "acme" && root.tags["catalyze:root-of"] == "primary/instance.db01")
        #expect(root.tags[CatalyzeTag.address] == nil, "part of the instance, not a resource of its own")

        // Refresh reads it back under the instance and reports no resource for the root volume.
        let live = try await moto.driver.refresh(RefreshRequest(pod: "acme", region: "us-east-1")).resources
        let instance = try #require(live.first { $0.address == spec.address })
        #expect(instance.resource.attributes["root_key"] == "primary/key.storage")
        #expect(Set(live.map(\.address)) == Set(recorded.keys).union([spec.address]))

        // Deleted with its instance (DeleteOnTermination), as an image's root is.
        _ = try await moto.apply(.delete, spec, pod: "acme", token: "t-db01-del", prior: made)
        let gone = try await moto.driver.client.query(.ec2, "DescribeVolumes", region: "us-east-1", Self.volumeFilter(rootID))
        #expect(gone.list("volumeSet").isEmpty, "the root volume went with its instance")
    }

    static func volumeFilter(_ id: String) -> [String: String] {
        ["Filter.1.Name": "volume-id", "Filter.1.Value.1": id]
    }

    /// An instance made without root encryption (as by 0.1.0) reports no `root_key`, so the plan
    /// compares the recorded absence with the wanted key and replaces it.
    @Test func anUnencryptedRootReportsNoRootKey() async throws {
        let moto = try MotoFixture()
        let (host, recorded) = try await Self.pod(moto)
        let spec = Self.instance(moto, host: host, rootKey: nil)
        let made = try #require(try await moto.apply(.create, spec, pod: "acme", token: "t-db01", dependencies: recorded))
        #expect(made.attributes["root_key"] == nil && made.outputs["root_kms_key_id"] == nil)
        let live = try await moto.driver.refresh(RefreshRequest(pod: "acme", region: "us-east-1")).resources
        let instance = try #require(live.first { $0.address == spec.address })
        #expect(instance.resource.attributes["root_key"] == nil || instance.resource.attributes["root_key"] == "")
    }
}
