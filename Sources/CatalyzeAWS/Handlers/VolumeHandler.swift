import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// volume: an encrypted gp3 EBS volume under the pod's key (see `AWSDriver.applyVolume`); read
/// back from the pod's volumes (DescribeVolumes); tagged on the volume.
struct VolumeHandler: EC2TaggedHandler {
    var kind: ResourceKind { .volume }
    var lists: Set<AWSListCall> { [.ec2(.volumes)] }

    func apply(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource? {
        try await driver.applyVolume(request)
    }

    func read(_ batch: AWSRefreshBatch, into live: inout LiveSet, driver: AWSDriver) async throws {
        for volume in AWSDriver.liveVolumes(batch) {
            guard let id = volume.string("volumeId"), let address = live.address(volume.tags) else { continue }
            var attributes = [
                "size_gib": volume.string("size") ?? "", "encrypted": volume.string("encrypted") ?? "false",
                "zone": volume.string("availabilityZone") ?? "",
            ]
            let kms = volume.string("kmsKeyId") ?? ""
            attributes["key"] = (live.addresses[kms] ?? live.addresses[String(kms.split(separator: "/").last ?? "")])?.description
            live.add(address, .volume, CloudResource(cloudID: id, attributes: attributes, outputs: ["kms_key_id": kms]), volume.tags, id: id)
        }
    }

    func ec2Objects(_ resource: CloudResource) -> [String] { [resource.cloudID] }
}

extension AWSDriver {
    /// The batch's volumes that are live (not deleting, deleted or failed).
    static func liveVolumes(_ batch: AWSRefreshBatch) -> [XMLNode] {
        batch[.volumes].filter { !["deleting", "deleted", "error"].contains(state(of: $0)) }
    }
}

extension AWSDriver {
    /// volume: an encrypted gp3 EBS volume (`size_gib`, `zone`) under the pod's KMS key (`key`).
    /// Encryption with the customer key is confirmed with DescribeVolumes after the create.
    /// `size_gib` grows in place (ModifyVolume); shrinking is refused. cloudID = volume id.
    func applyVolume(_ request: ApplyRequest) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create:
            let spec = try Self.typed(VolumeSpec.self, request)
            let size = String(spec.sizeGiB)
            // The spec may leave the zone empty; a volume needs one.
            let zone = spec.zone
            guard !zone.isEmpty else { throw DriverError.invalidSpec(address: request.spec.address, reason: "attribute 'zone' is required") }
            let encrypted = spec.encrypted
            let keyARN: String?
            if encrypted {
                guard let key = spec.key else {
                    throw DriverError.invalidSpec(address: request.spec.address, reason: "attribute 'key' is required for an encrypted volume")
                }
                keyARN = try request.dependency(at: key).cloudID
            } else {
                keyARN = nil
            }
            let volume = try await createOnce(
                firstUse: request.firstUse,
                lookup: { try await findByOperation("DescribeVolumes", "volumeSet", "volumeId", request).map { CloudResource(cloudID: $0) } },
                create: {
                    var parameters = Self.tagSpecification(request, resourceType: "volume")
                    parameters["AvailabilityZone"] = zone
                    parameters["Size"] = size
                    parameters["VolumeType"] = "gp3"
                    parameters["ClientToken"] = Self.clientToken(request.token)
                    if let keyARN {
                        parameters["Encrypted"] = "true"
                        parameters["KmsKeyId"] = keyARN
                    }
                    let reply = try await client.query(.ec2, "CreateVolume", region: region, parameters, idempotent: false)
                    return CloudResource(cloudID: reply.string("volumeId") ?? "")
                })
            let item = try await consistent { () -> XMLNode in
                let reply = try await client.query(.ec2, "DescribeVolumes", region: region, ["VolumeId.1": volume.cloudID])
                guard let item = reply.list("volumeSet").first else {
                    throw DriverError.api(service: "ec2", action: "DescribeVolumes", status: 400, code: "InvalidVolume.NotFound", message: volume.cloudID)
                }
                return item
            }
            if Self.state(of: item) == "error" {
                throw DriverError.failedState(address: request.spec.address, state: "error", detail: "volume \(volume.cloudID) failed to create")
            }
            if let keyARN, item.string("encrypted") != "true" || !(item.string("kmsKeyId") ?? "").hasSuffix(keyARN.split(separator: "/").last.map(String.init) ?? keyARN) {
                throw DriverError.failedState(
                    address: request.spec.address, state: "unencrypted",
                    detail: "volume \(volume.cloudID) is not encrypted with \(keyARN) (kmsKeyId \(item.string("kmsKeyId") ?? "none"))")
            }
            var attributes = ["size_gib": item.string("size") ?? size, "encrypted": item.string("encrypted") ?? "false", "zone": item.string("availabilityZone") ?? zone]
            attributes["key"] = spec.key?.description
            return CloudResource(cloudID: volume.cloudID, attributes: attributes, outputs: ["kms_key_id": item.string("kmsKeyId") ?? ""])
        case .update:
            guard var prior = request.prior else {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "update without a recorded volume")
            }
            let spec = try Self.typed(VolumeSpec.self, request)
            let wanted = spec.sizeGiB
            // The size as recorded, over the wanted spec: ModifyVolume is not a no-op to repeat (each
            // modification blocks the next for six hours, EC2 User Guide "Modify a volume"), so a
            // record lacking some other key must not count as another size. One whose size does not
            // decode counts as none, as before.
            let current = prior.recorded(over: spec)?.sizeGiB ?? 0
            if wanted < current {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "size_gib can only grow (\(current) → \(wanted))")
            }
            if wanted > current {
                _ = try await client.query(.ec2, "ModifyVolume", region: region, ["VolumeId": prior.cloudID, "Size": String(wanted)])
            }
            prior.attributes["size_gib"] = String(wanted)
            return prior
        case .delete:
            guard let id = request.prior?.cloudID, !id.isEmpty else { return nil }
            for attempt in 1...client.configuration.consistencyAttempts {
                do {
                    try await deleteIgnoringMissing {
                        _ = try await client.query(.ec2, "DeleteVolume", region: region, ["VolumeId": id])
                    }
                    return nil
                } catch let error as DriverError where error.awsCode == "VolumeInUse" && attempt < client.configuration.consistencyAttempts {
                    try await client.pause(attempt: attempt, throttled: false)
                }
            }
            return nil
        }
    }
}
