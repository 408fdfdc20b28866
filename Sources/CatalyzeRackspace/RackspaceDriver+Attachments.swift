import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

extension RackspaceDriver {
    /// `attachment`: a Nova `os-volume_attachments` entry. Its tags go into the volume's metadata
    /// (`catalyze:attachment`, `catalyze:attachment_op`), since attachments carry none.
    func applyAttachment(_ request: ApplyRequest, region: String) async throws -> ApplyResponse {
        switch request.operation {
        case .create, .update:
            let serverID = try request.dependencyID("instance")
            let volumeID = try request.dependencyID("volume")
            let list = try await client.call(
                .compute, "GET", "servers/\(serverID)/os-volume_attachments", region: region, action: "ListVolumeAttachments")
            var attachment = list.body["volumeAttachments"].array.first { $0["volumeId"].string == volumeID }
            if attachment == nil {
                var body: [String: JSONValue] = ["volumeId": .string(volumeID)]
                if let device = request.spec.attributes["device"], !device.isEmpty { body["device"] = .string(device) }
                attachment = try await client.call(
                    .compute, "POST", "servers/\(serverID)/os-volume_attachments", body: ["volumeAttachment": .object(body)],
                    region: region, action: "AttachVolume"
                ).body["volumeAttachment"]
            }
            let tags: [String: String] = [
                "catalyze:attachment": request.spec.address.description, "catalyze:attachment_op": request.token,
                "catalyze:attachment_device": request.spec.attributes["device"] ?? "",
            ]
            let volume = try await client.call(.blockStorage, "GET", "volumes/\(volumeID)", region: region, action: "GetVolume")
            let metadata = volume.body["volume"]["metadata"].stringMembers.merging(tags) { _, new in new }
            _ = try await client.call(
                .blockStorage, "PUT", "volumes/\(volumeID)", body: ["volume": ["metadata": .strings(metadata)]], region: region,
                action: "TagVolumeAttachment")
            return ApplyResponse(resource: CloudResource(
                cloudID: "\(serverID)/\(volumeID)",
                attributes: [
                    "volume": request.spec.attributes["volume"] ?? "", "instance": request.spec.attributes["instance"] ?? "",
                    "device": attachment?["device"].string ?? request.spec.attributes["device"] ?? "",
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
