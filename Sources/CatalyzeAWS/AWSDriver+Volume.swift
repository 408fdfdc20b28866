import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

extension AWSDriver {
    /// Tag on a volume naming the attachment resource that attached it (attachments have no tags).
    static let attachmentTag = "catalyze:attachment"
    /// Tag on a volume holding the attachment's operation token.
    static let attachmentOperationTag = "catalyze:attachment-op"

    /// volume: an encrypted gp3 EBS volume (`size_gib`, `zone`) under the pod's KMS key (`key`).
    /// Encryption with the customer key is confirmed with DescribeVolumes after the create.
    /// `size_gib` grows in place (ModifyVolume); shrinking is refused. cloudID = volume id.
    func applyVolume(_ request: ApplyRequest) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create:
            let size = try required(request, "size_gib")
            let zone = try required(request, "zone")
            let encrypted = (request.spec.attributes["encrypted"] ?? "true") == "true"
            let keyARN = encrypted ? try request.dependencyID("key") : nil
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
            attributes["key"] = request.spec.attributes["key"]
            return CloudResource(cloudID: volume.cloudID, attributes: attributes, outputs: ["kms_key_id": item.string("kmsKeyId") ?? ""])
        case .update:
            guard var prior = request.prior else {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "update without a recorded volume")
            }
            let wanted = Int(try required(request, "size_gib")) ?? 0
            let current = Int(prior.attributes["size_gib"] ?? "") ?? 0
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

    /// attachment: AttachVolume of `volume` to `instance` at `device`. Attachments carry no tags,
    /// so the volume is tagged `catalyze:attachment=<address>` and `catalyze:attachment-op=<token>`.
    /// cloudID = `<volume>|<instance>`.
    func applyAttachment(_ request: ApplyRequest) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create, .update:
            let volume = try request.dependencyID("volume")
            let instance = try request.dependencyID("instance")
            let device = try required(request, "device")
            func attached() async throws -> Bool {
                let existing = try await client.query(.ec2, "DescribeVolumes", region: region, ["VolumeId.1": volume])
                return existing.list("volumeSet").first?.list("attachmentSet")
                    .contains { $0.string("instanceId") == instance && !["detaching", "detached"].contains($0.string("status") ?? "") } ?? false
            }
            // A first use cannot have attached it yet: attach straight away; "in use" is then checked.
            let already = request.firstUse ? false : try await attached()
            if !already {
                do {
                    _ = try await retryingIncorrectState {
                        try await client.query(
                            .ec2, "AttachVolume", region: region, ["VolumeId": volume, "InstanceId": instance, "Device": device])
                    }
                } catch let error as DriverError where error.awsCode == "VolumeInUse" {
                    guard try await attached() else { throw error }  // in use by another instance
                }
            }
            _ = try await client.query(
                .ec2, "CreateTags", region: region,
                ["ResourceId.1": volume, "Tag.1.Key": Self.attachmentTag, "Tag.1.Value": request.spec.address.description,
                 "Tag.2.Key": Self.attachmentOperationTag, "Tag.2.Value": request.token])
            return CloudResource(
                cloudID: "\(volume)|\(instance)",
                attributes: ["volume": request.spec.attributes["volume"] ?? "", "instance": request.spec.attributes["instance"] ?? "", "device": device])
        case .delete:
            guard let prior = request.prior else { return nil }
            let parts = prior.cloudID.split(separator: "|").map(String.init)
            guard parts.count == 2 else { return nil }
            do {
                _ = try await client.query(.ec2, "DetachVolume", region: region, ["VolumeId": parts[0], "InstanceId": parts[1]])
            } catch let error as DriverError where error.isNotFound || error.awsCode == "IncorrectState" {}
            try await deleteIgnoringMissing {
                _ = try await client.query(
                    .ec2, "DeleteTags", region: region,
                    ["ResourceId.1": parts[0], "Tag.1.Key": Self.attachmentTag, "Tag.2.Key": Self.attachmentOperationTag])
            }
            return nil
        }
    }

    /// Retries `body` while AWS says the resource is not in the right state yet (e.g. pending).
    func retryingIncorrectState<T>(_ body: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await consistent(body)
            } catch let error as DriverError where error.awsCode == "IncorrectState" || error.awsCode == "IncorrectInstanceState" {
                attempt += 1
                if attempt >= client.configuration.consistencyAttempts { throw error }
                try await client.pause(attempt: attempt, throttled: false)
            }
        }
    }
}
