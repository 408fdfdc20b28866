import CatalyzeAWS
import CatalyzeModel
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// Asked of moto directly (not the lockfile): every volume of an applied AWS pod, each instance's
/// root volume included, is encrypted with its region's pod key.
enum PodEncryptionCheck {
    /// Checks every instance the lockfile records in `regions` (manifest region → cloud region):
    /// its root device's volume, and every volume attached to it, encrypted with the ARN of that
    /// region's `key.storage`. Returns how many volumes were checked.
    @discardableResult
    static func everyVolumeUnderThePodKey(
        _ client: AWSClient, lockfile: Lockfile, regions: [String: String]
    ) async throws -> (roots: Int, volumes: Int) {
        var roots = 0, volumes = 0
        for (name, cloudRegion) in regions.sorted(by: { $0.key < $1.key }) {
            let key = try #require(lockfile.resources[ResourceAddress(region: name, kind: .key, name: "storage")], "\(name) has a key")
            let keyARN = try #require(key.outputs["arn"])
            let instances = lockfile.sortedRecords.filter { $0.kind == .instance && $0.address.region == name }
            try #require(!instances.isEmpty, "\(name) has instances")
            var parameters: [String: String] = [:]
            for (n, record) in instances.enumerated() { parameters["InstanceId.\(n + 1)"] = record.cloudID }
            let reply = try await client.query(.ec2, "DescribeInstances", region: cloudRegion, parameters)
            let items = reply.list("reservationSet").flatMap { $0.list("instancesSet") }
            #expect(items.count == instances.count, "\(name): moto describes every recorded instance")
            for item in items {
                let id = item.string("instanceId") ?? "?"
                let rootName = item.string("rootDeviceName") ?? ""
                let mappings = item.list("blockDeviceMapping")
                #expect(mappings.contains { $0.string("deviceName") == rootName }, "\(id): a volume at its root device \(rootName)")
                for mapping in mappings {
                    let volumeID = try #require(mapping.string("ebs", "volumeId"))
                    let described = try await client.query(.ec2, "DescribeVolumes", region: cloudRegion, ["VolumeId.1": volumeID])
                    let volume = try #require(described.list("volumeSet").first)
                    let what = mapping.string("deviceName") == rootName ? "root volume" : "volume"
                    #expect(volume.string("encrypted") == "true", "\(id): \(what) \(volumeID) is not encrypted")
                    // The key's ARN, or its id (moto echoes what the create named; EBS answers the ARN).
                    let kms = volume.string("kmsKeyId") ?? ""
                    #expect(kms == keyARN || (!kms.isEmpty && keyARN.hasSuffix(":key/" + kms)),
                            "\(id): \(what) \(volumeID) is under \(volume.string("kmsKeyId") ?? "no key"), not the pod's \(keyARN)")
                    if what == "root volume" { roots += 1 } else { volumes += 1 }
                }
            }
        }
        return (roots, volumes)
    }

    /// EBS encryption by default in `region`, as moto answers GetEbsEncryptionByDefault.
    static func encryptionByDefault(_ client: AWSClient, region: String) async throws -> Bool {
        let reply = try await client.query(.ec2, "GetEbsEncryptionByDefault", region: region, [:])
        return reply.string("ebsEncryptionByDefault") == "true"
    }
}
