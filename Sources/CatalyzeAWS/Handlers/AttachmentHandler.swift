import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// attachment: a volume attached to an instance (see `AWSDriver.applyAttachment`). Attachments
/// carry no tags: one lives on its volume's (`catalyze:attachment`, `catalyze:attachment-op`), so it
/// is read back from the same DescribeVolumes reply as the volume, carrying the volume's lineage,
/// and tagged on the volume.
struct AttachmentHandler: EC2TaggedHandler {
    var kind: ResourceKind { .attachment }
    var lists: Set<AWSListCall> { [.ec2(.volumes)] }

    func apply(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource? {
        try await driver.applyAttachment(request)
    }

    func read(_ batch: AWSRefreshBatch, into live: inout LiveSet, driver: AWSDriver) async throws {
        for volume in AWSDriver.liveVolumes(batch) {
            guard let id = volume.string("volumeId"), let address = live.address(volume.tags),
                  let attachmentAddress = volume.tags[AWSDriver.attachmentTag].flatMap(ResourceAddress.init(parsing:)),
                  let attachment = volume.list("attachmentSet").first(where: { !["detaching", "detached"].contains($0.string("status") ?? "") }),
                  let instance = attachment.string("instanceId")
            else { continue }
            var attributes = ["volume": address.description, "device": attachment.string("device") ?? ""]
            attributes["instance"] = live.addresses[instance]?.description
            live.resources.append(LiveResource(
                address: attachmentAddress, kind: .attachment,
                resource: CloudResource(cloudID: "\(id)|\(instance)", attributes: attributes),
                operationToken: volume.tags[AWSDriver.attachmentOperationTag], lineage: volume.tags[CatalyzeTag.lineage]))
        }
    }

    func ec2Objects(_ resource: CloudResource) -> [String] {
        resource.cloudID.split(separator: "|").first.map { [String($0)] } ?? []
    }
}

extension AWSDriver {
    /// Tag on a volume naming the attachment resource that attached it (attachments have no tags).
    static let attachmentTag = "catalyze:attachment"
    /// Tag on a volume holding the attachment's operation token.
    static let attachmentOperationTag = "catalyze:attachment-op"

    /// attachment: AttachVolume of `volume` to `instance` at `device`. Attachments carry no tags,
    /// so the volume is tagged `catalyze:attachment=<address>` and `catalyze:attachment-op=<token>`.
    /// cloudID = `<volume>|<instance>`.
    func applyAttachment(_ request: ApplyRequest) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create, .update:
            let spec = try Self.typed(AttachmentSpec.self, request)
            let volume = try request.dependency(at: spec.volume).cloudID
            let instance = try request.dependency(at: spec.instance).cloudID
            let device = spec.device
            guard !device.isEmpty else { throw DriverError.invalidSpec(address: request.spec.address, reason: "attribute 'device' is required") }
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
                attributes: ["volume": spec.volume.description, "instance": spec.instance.description, "device": device])
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
}
