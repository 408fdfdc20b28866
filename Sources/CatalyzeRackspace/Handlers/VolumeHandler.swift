import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// `volume`: a Cinder volume of the key's encrypted type, tagged in its metadata (which also
/// carries its attachment's tags, see `AttachmentHandler`, and names its key, see `VolumeTypeHandler`).
struct VolumeHandler: RackspaceResourceHandler {
    var kind: ResourceKind { .volume }
    var lists: Set<RackspaceList> { [.volumes] }

    func apply(_ request: ApplyRequest, driver: RackspaceDriver, region: String) async throws -> ApplyResponse {
        try await driver.applyVolume(request, region: region)
    }

    func read(_ batch: RackspaceBatch, into found: inout [LiveResource]) {
        found += Self.podVolumes(batch).map(\.live)
    }

    /// The pod's volumes (not being deleted) in list order, each with its live resource.
    static func podVolumes(_ batch: RackspaceBatch) -> [(volume: JSONValue, live: LiveResource)] {
        batch.volumes.compactMap { volume in
            guard volume["status"].string != "deleting",
                  let live = RackspaceDriver.live(
                      volume["metadata"].stringMembers, pod: batch.pod, kind: .volume, resource: RackspaceDriver.volumeResource(volume))
            else { return nil }
            return (volume, live)
        }
    }

    /// The volume's metadata: `GET` + `PUT volumes/{id}` with the merged metadata.
    func tag(_ request: TagRequest, driver: RackspaceDriver) async throws -> TagResponse {
        let (region, id) = (request.region, request.resource.cloudID)
        let current = try await driver.client.call(.blockStorage, "GET", "volumes/\(id)", region: region, action: "ShowVolume")
        let metadata = RackspaceDriver.merged(current.body["volume"]["metadata"].stringMembers, request)
        _ = try await driver.client.call(
            .blockStorage, "PUT", "volumes/\(id)", body: ["volume": ["metadata": .strings(metadata)]], region: region,
            action: "UpdateVolume")
        return TagResponse(objects: 1)
    }
}

extension RackspaceDriver {
    /// `volume`: a Cinder volume of the key's encrypted type; `size_gib` grows in place (`os-extend`)
    /// while the volume is detached; an attached one is refused with what to do (Cinder's base API
    /// cannot extend an in-use volume, and catalyze does not detach a running database's disk).
    func applyVolume(_ request: ApplyRequest, region: String) async throws -> ApplyResponse {
        switch request.operation {
        case .create:
            let spec = try Self.volumeSpec(request)
            let size = spec.sizeGiB
            let volumes = try await listVolumes(region: region)
            var volume = volumes.first { $0["metadata"][CatalyzeTag.operation].string == request.token }
            if volume == nil {
                var metadata = Self.tags(request)
                metadata["catalyze:key"] = spec.key?.description
                metadata["catalyze:zone"] = spec.zone
                metadata["catalyze:encrypted"] = String(spec.encrypted)
                var body: [String: JSONValue] = [
                    "size": .number(Double(size)), "name": .string(Self.cloudName(request, kind: true)), "metadata": .strings(metadata),
                ]
                if spec.encrypted || spec.key != nil {
                    guard let key = spec.key else {
                        throw DriverError.invalidSpec(address: request.spec.address, reason: "attribute 'key' is not an address")
                    }
                    body["volume_type"] = .string(try request.dependencyID(of: key))
                }
                volume = try await client.call(.blockStorage, "POST", "volumes", body: ["volume": .object(body)], region: region, action: "CreateVolume")
                    .body["volume"]
            }
            let id = volume?["id"].string ?? ""
            return ApplyResponse(resource: Self.volumeResource(try await waitForVolume(id, address: request.spec.address, region: region)))
        case .update:
            let size = try Self.volumeSpec(request).sizeGiB
            let id = try priorID(request)
            let current = try await waitForVolume(id, address: request.spec.address, region: region, accept: ["available", "in-use"])
            if let now = current["size"].int, size < now {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "size_gib can only grow (\(now) → \(size))")
            }
            if let now = current["size"].int, size > now {
                // Cinder's base API extends an available volume only (in-use needs microversion
                // 3.42 and backend support; Cloud Block Storage has neither). catalyze does not
                // detach a running server's disk on its own: say so, and change nothing.
                if current["status"].string == "in-use" {
                    let servers = current["attachments"].array.compactMap { $0["server_id"].string }
                    throw DriverError.invalidSpec(
                        address: request.spec.address,
                        reason: "Cloud Block Storage grows a volume only while it is detached, and volume \(id) (\(now) GiB) "
                            + "is attached to server \(servers.joined(separator: ", ")); catalyze does not take a running "
                            + "server's disk away. Keep the size at \(now) GiB, or detach the volume in a maintenance window "
                            + "and run apply again (it grows the volume to \(size) GiB and attaches it back)")
                }
                _ = try await client.call(
                    .blockStorage, "POST", "volumes/\(id)/action", body: ["os-extend": ["new_size": .number(Double(size))]], region: region,
                    action: "ExtendVolume")
            }
            return ApplyResponse(resource: Self.volumeResource(
                try await waitForVolume(id, address: request.spec.address, region: region, accept: ["available", "in-use"])))
        case .delete:
            let id = try priorID(request)
            _ = try await client.call(.blockStorage, "DELETE", "volumes/\(id)", region: region, action: "DeleteVolume", expected: [200, 202, 204, 404])
            return ApplyResponse(resource: nil)
        }
    }

    /// The request's volume spec, whose size must be positive.
    static func volumeSpec(_ request: ApplyRequest) throws -> VolumeSpec {
        let spec = try request.typed(VolumeSpec.self)
        guard spec.sizeGiB > 0 else {
            throw DriverError.invalidSpec(address: request.spec.address, reason: "volume has no positive 'size_gib'")
        }
        return spec
    }

    func listVolumes(region: String) async throws -> [JSONValue] {
        try await client.call(.blockStorage, "GET", "volumes/detail", region: region, action: "ListVolumes").body["volumes"].array
    }

    func waitForVolume(
        _ id: String, address: ResourceAddress, region: String, accept: Set<String> = ["available"]
    ) async throws -> JSONValue {
        var status = "unknown"
        for poll in 0..<max(1, configuration.maxPolls) {
            if poll > 0 { try await pollPause() }
            let volume = try await client.call(.blockStorage, "GET", "volumes/\(id)", region: region, action: "GetVolume").body["volume"]
            status = volume["status"].string ?? "unknown"
            if accept.contains(status) || (accept.contains("available") && status == "in-use") { return volume }
            if status.hasPrefix("error") { throw DriverError.failedState(address: address, state: status, detail: "volume \(id)") }
        }
        throw DriverError.failedState(address: address, state: status, detail: "volume \(id) not ready after \(configuration.maxPolls) polls")
    }

    /// A volume as recorded: `encrypted` from Cinder's own `encrypted` flag, `size_gib` from its size.
    static func volumeResource(_ volume: JSONValue) -> CloudResource {
        let metadata = volume["metadata"].stringMembers
        var attributes: [String: String] = [:]
        attributes["size_gib"] = volume["size"].string
        if let encrypted = volume["encrypted"].bool { attributes["encrypted"] = encrypted ? "true" : "false" }
        attributes["key"] = metadata["catalyze:key"]
        attributes["zone"] = metadata["catalyze:zone"]
        var outputs: [String: String] = ["status": volume["status"].string ?? ""]
        outputs["volume_type"] = volume["volume_type"].string
        return CloudResource(cloudID: volume["id"].string ?? "", attributes: attributes, outputs: outputs.compactMapValues { $0 })
    }
}
