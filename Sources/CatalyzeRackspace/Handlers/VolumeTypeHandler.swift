import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// `key`: the encrypted (LUKS) Cinder volume type the pod's volumes are made of, adopted, never made.
struct VolumeTypeHandler: RackspaceResourceHandler {
    var kind: ResourceKind { .key }
    var lists: Set<RackspaceList> { [.volumes, .get(.volumeTypes)] }

    func apply(_ request: ApplyRequest, driver: RackspaceDriver, region: String) async throws -> ApplyResponse {
        try await driver.applyVolumeType(request, region: region)
    }

    /// Volume types carry no tags: a key is the type the pod's volumes name in their `catalyze:key`
    /// metadata, while that type exists, with the lineage of the last such volume listed.
    func read(_ batch: RackspaceBatch, into found: inout [LiveResource]) {
        var keys: [ResourceAddress: LiveResource] = [:]
        for (volume, live) in VolumeHandler.podVolumes(batch) {
            // The key this volume was made with, while its (untaggable) volume type exists.
            if let text = volume["metadata"].stringMembers["catalyze:key"], let keyAddress = ResourceAddress(parsing: text),
               keyAddress.kind == .key, let typeName = volume["volume_type"].string,
               let type = batch[.volumeTypes].first(where: { $0["name"].string == typeName || $0["id"].string == typeName }),
               let typeID = type["id"].string
            {
                keys[keyAddress] = LiveResource(
                    address: keyAddress, kind: .key,
                    resource: CloudResource(cloudID: typeID, attributes: [:], outputs: ["name": type["name"].string ?? typeName]),
                    operationToken: nil, lineage: live.lineage)
            }
        }
        found += keys.sorted { $0.key.description < $1.key.description }.map(\.value)
    }

    /// Nothing of its own (volume types carry no tags): a key carries its volumes' lineage.
    func tag(_ request: TagRequest, driver: RackspaceDriver) async throws -> TagResponse { TagResponse(objects: 0) }
}

extension RackspaceDriver {
    /// `key`: the encrypted Cinder volume type the pod's volumes are made of. Volume types are the
    /// cloud's (creating one needs an administrator), so the key is adopted, never created: the
    /// type named by `volume_type` (`encryption.volumeType`) or `customer_key` (id or name) when given, else the first type (by name) with a
    /// LUKS encryption spec. Either way the type must really encrypt, or the create fails. Deleting
    /// a key leaves the type alone. Volume types carry no tags: refresh reports a key through the pod volumes made of it.
    func applyVolumeType(_ request: ApplyRequest, region: String) async throws -> ApplyResponse {
        guard request.operation != .delete else { return ApplyResponse(resource: nil) }
        let key = try request.typed(KeySpec.self)
        let types = try await client.call(.blockStorage, "GET", "types", region: region, action: "ListVolumeTypes")
            .body["volume_types"].array.sorted { ($0["name"].string ?? "") < ($1["name"].string ?? "") }
        let named = key.volumeType
        let customer = named ?? key.customerKey
        let candidates = customer.map { wanted in types.filter { $0["id"].string == wanted || $0["name"].string == wanted } } ?? types
        for type in candidates {
            guard let id = type["id"].string, let spec = try await encryption(of: id, region: region) else { continue }
            var attributesOut = ["alias": key.alias]
            attributesOut["customer_key"] = key.customerKey
            attributesOut["volume_type"] = named
            return ApplyResponse(resource: CloudResource(
                cloudID: id, attributes: attributesOut,
                outputs: [
                    "name": type["name"].string ?? "", "provider": spec["provider"].string ?? "",
                    "cipher": spec["cipher"].string ?? "", "key_size": spec["key_size"].string ?? "",
                ]))
        }
        let reason = customer.map { "volume type '\($0)' is no encrypted volume type in \(region)" }
            ?? "no volume type in \(region) has an encryption spec"
        throw DriverError.invalidSpec(address: request.spec.address, reason: reason)
    }

    /// The type's encryption spec, nil when it has none.
    func encryption(of typeID: String, region: String) async throws -> JSONValue? {
        let reply = try await client.call(
            .blockStorage, "GET", "types/\(typeID)/encryption", region: region, action: "GetEncryptionType", expected: [200, 404])
        let spec = reply.body["encryption"].isNull ? reply.body : reply.body["encryption"]
        return reply.status == 200 && spec["provider"].string != nil ? spec : nil
    }
}
