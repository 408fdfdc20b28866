import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// Keys (encrypted Cinder volume types), volumes and attachments.
extension RackspaceDriver {
    /// `key`: a Cinder volume type with a LUKS encryption spec, tagged in its `extra_specs`. With
    /// `customer_key`, the customer's existing type (id or name) is adopted after checking that it
    /// really encrypts; catalyze then neither tags nor deletes it.
    func applyVolumeType(_ request: ApplyRequest, region: String) async throws -> ApplyResponse {
        let attributes = request.spec.attributes
        switch request.operation {
        case .create, .update:
            let types = try await client.call(.blockStorage, "GET", "types", region: region, action: "ListVolumeTypes").body["volume_types"].array
            if let customer = attributes["customer_key"], !customer.isEmpty {
                guard let type = types.first(where: { $0["id"].string == customer || $0["name"].string == customer }),
                      let id = type["id"].string
                else {
                    throw DriverError.invalidSpec(address: request.spec.address, reason: "customer_key '\(customer)' names no volume type in \(region)")
                }
                guard try await encryption(of: id, region: region) != nil else {
                    throw DriverError.invalidSpec(address: request.spec.address, reason: "volume type '\(customer)' has no encryption spec")
                }
                return ApplyResponse(resource: Self.volumeTypeResource(type, alias: attributes["alias"] ?? "", customerKey: customer))
            }
            let name = attributes["alias"].map { $0.replacingOccurrences(of: "/", with: "-") } ?? Self.cloudName(request, kind: true)
            var type = types.first { $0["extra_specs"][CatalyzeTag.operation].string == request.token }
            if type == nil {
                var specs = Self.tags(request)
                specs["catalyze:alias"] = attributes["alias"]
                let body: JSONValue = ["volume_type": ["name": .string(name), "extra_specs": .strings(specs)]]
                type = try await client.call(.blockStorage, "POST", "types", body: body, region: region, action: "CreateVolumeType").body["volume_type"]
            }
            guard let id = type?["id"].string else {
                throw DriverError.malformedResponse(service: "blockStorage", action: "CreateVolumeType", detail: "no type id")
            }
            if try await encryption(of: id, region: region) == nil {
                let body: JSONValue = [
                    "encryption": ["provider": "luks", "cipher": "aes-xts-plain64", "key_size": 256, "control_location": "front-end"]
                ]
                _ = try await client.call(.blockStorage, "POST", "types/\(id)/encryption", body: body, region: region, action: "CreateEncryptionType")
            }
            return ApplyResponse(resource: Self.volumeTypeResource(type ?? .null, alias: attributes["alias"] ?? "", customerKey: nil))
        case .delete:
            if let customer = attributes["customer_key"], !customer.isEmpty { return ApplyResponse(resource: nil) }
            let id = try priorID(request)
            _ = try await client.call(.blockStorage, "DELETE", "types/\(id)", region: region, action: "DeleteVolumeType", expected: [200, 202, 204, 404])
            return ApplyResponse(resource: nil)
        }
    }

    /// The type's encryption spec, nil when it has none.
    func encryption(of typeID: String, region: String) async throws -> JSONValue? {
        let reply = try await client.call(
            .blockStorage, "GET", "types/\(typeID)/encryption", region: region, action: "GetEncryptionType", expected: [200, 404])
        let spec = reply.body["encryption"].isNull ? reply.body : reply.body["encryption"]
        return reply.status == 200 && spec["provider"].string != nil ? spec : nil
    }

    static func volumeTypeResource(_ type: JSONValue, alias: String, customerKey: String?) -> CloudResource {
        var attributes = ["alias": type["extra_specs"]["catalyze:alias"].string ?? alias]
        attributes["customer_key"] = customerKey
        return CloudResource(cloudID: type["id"].string ?? "", attributes: attributes, outputs: ["name": type["name"].string ?? ""])
    }

    /// `volume`: a Cinder volume of the key's encrypted type; `size_gib` grows in place (`os-extend`).
    func applyVolume(_ request: ApplyRequest, region: String) async throws -> ApplyResponse {
        let attributes = request.spec.attributes
        guard let size = Int(attributes["size_gib"] ?? ""), size > 0 else {
            throw DriverError.invalidSpec(address: request.spec.address, reason: "volume has no positive 'size_gib'")
        }
        switch request.operation {
        case .create:
            let volumes = try await listVolumes(region: region)
            var volume = volumes.first { $0["metadata"][CatalyzeTag.operation].string == request.token }
            if volume == nil {
                var metadata = Self.tags(request)
                for key in ["key", "zone", "encrypted"] { metadata["catalyze:\(key)"] = attributes[key] }
                var body: [String: JSONValue] = [
                    "size": .number(Double(size)), "name": .string(Self.cloudName(request, kind: true)), "metadata": .strings(metadata),
                ]
                if attributes["encrypted"] != "false" || attributes["key"] != nil {
                    body["volume_type"] = .string(try request.dependencyID("key"))
                }
                volume = try await client.call(.blockStorage, "POST", "volumes", body: ["volume": .object(body)], region: region, action: "CreateVolume")
                    .body["volume"]
            }
            let id = volume?["id"].string ?? ""
            return ApplyResponse(resource: Self.volumeResource(try await waitForVolume(id, address: request.spec.address, region: region)))
        case .update:
            let id = try priorID(request)
            let current = try await waitForVolume(id, address: request.spec.address, region: region, accept: ["available", "in-use"])
            if let now = current["size"].int, size > now {
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
