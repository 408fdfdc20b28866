import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// `attachment`: a volume attached to a server, tagged in the volume's metadata.
struct AttachmentHandler: RackspaceResourceHandler {
    var kind: ResourceKind { .attachment }
    var lists: Set<RackspaceList> { [.volumes] }

    func apply(_ request: ApplyRequest, driver: RackspaceDriver, region: String) async throws -> ApplyResponse {
        try await driver.applyAttachment(request, region: region)
    }

    /// An attachment recorded on a pod volume and still present in its `attachments`, with the
    /// volume's lineage.
    func read(_ batch: RackspaceBatch, into found: inout [LiveResource]) {
        for (volume, live) in VolumeHandler.podVolumes(batch) {
            let metadata = volume["metadata"].stringMembers
            guard let text = metadata["catalyze:attachment"], let address = ResourceAddress(parsing: text),
                  let attached = volume["attachments"].array.first, let serverID = attached["server_id"].string
            else { continue }
            let resource = CloudResource(
                cloudID: "\(serverID)/\(live.resource.cloudID)",
                attributes: ["volume": live.address.description, "device": attached["device"].string ?? metadata["catalyze:attachment_device"] ?? ""],
                outputs: [:])
            found.append(LiveResource(
                address: address, kind: .attachment, resource: resource, operationToken: metadata["catalyze:attachment_op"],
                lineage: live.lineage))
        }
    }

    /// Nothing of its own: an attachment carries its volume's lineage.
    func tag(_ request: TagRequest, driver: RackspaceDriver) async throws -> TagResponse { TagResponse(objects: 0) }
}

extension RackspaceDriver {
    /// `attachment`: a Nova `os-volume_attachments` entry. Its tags go into the volume's metadata
    /// (`catalyze:attachment`, `catalyze:attachment_op`), since attachments carry none.
    func applyAttachment(_ request: ApplyRequest, region: String) async throws -> ApplyResponse {
        switch request.operation {
        case .create, .update:
            let spec = try request.typed(AttachmentSpec.self)
            let serverID = try request.dependencyID(of: spec.instance)
            let volumeID = try request.dependencyID(of: spec.volume)
            let list = try await client.call(
                .compute, "GET", "servers/\(serverID)/os-volume_attachments", region: region, action: "ListVolumeAttachments")
            var attachment = list.body["volumeAttachments"].array.first { $0["volumeId"].string == volumeID }
            if attachment == nil {
                var body: [String: JSONValue] = ["volumeId": .string(volumeID)]
                if !spec.device.isEmpty { body["device"] = .string(spec.device) }
                attachment = try await client.call(
                    .compute, "POST", "servers/\(serverID)/os-volume_attachments", body: ["volumeAttachment": .object(body)],
                    region: region, action: "AttachVolume"
                ).body["volumeAttachment"]
            }
            let tags: [String: String] = [
                "catalyze:attachment": request.spec.address.description, "catalyze:attachment_op": request.token,
                "catalyze:attachment_device": spec.device,
            ]
            let volume = try await client.call(.blockStorage, "GET", "volumes/\(volumeID)", region: region, action: "GetVolume")
            let metadata = volume.body["volume"]["metadata"].stringMembers.merging(tags) { _, new in new }
            _ = try await client.call(
                .blockStorage, "PUT", "volumes/\(volumeID)", body: ["volume": ["metadata": .strings(metadata)]], region: region,
                action: "TagVolumeAttachment")
            return ApplyResponse(resource: CloudResource(
                cloudID: "\(serverID)/\(volumeID)",
                attributes: [
                    "volume": spec.volume.description, "instance": spec.instance.description,
                    "device": attachment?["device"].string ?? spec.device,
                ],
                outputs: ["attachment_id": attachment?["id"].string ?? ""]))
        case .delete:
            let ids = try priorID(request).split(separator: "/").map(String.init)
            guard ids.count == 2 else {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "recorded attachment id is not server/volume")
            }
            let (serverID, volumeID) = (ids[0], ids[1])
            _ = try await client.call(
                .compute, "DELETE", "servers/\(serverID)/os-volume_attachments/\(volumeID)", region: region, action: "DetachVolume",
                expected: [200, 202, 204, 404])
            return ApplyResponse(resource: nil)
        }
    }
}
