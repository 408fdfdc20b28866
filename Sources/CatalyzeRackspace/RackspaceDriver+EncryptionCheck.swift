import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// Encryption verified at plan time, not assumed.
///
/// On Rackspace a pod's volumes are encrypted by their Cinder volume type: a type encrypts only if
/// it has an encryption spec (Block Storage API v3, "Volume type encryption": `GET
/// /types/{volume_type_id}/encryption` answers the spec — `provider` (`luks`), `cipher`,
/// `key_size`, `control_location` — or `{}` for a type without one). Reading it is an administrator
/// API by default (policy `volume_extension:volume_type_encryption`), which a private cloud whose
/// operators are ours grants. Rackspace's public types (SATA, SSD) have none.
extension RackspaceDriver {
    /// Refuses, before anything is proposed, a pod with encrypted volumes (`encryption.enabled`, which
    /// the hipaa profile requires) whose volume type does not encrypt: the type `encryption.key`
    /// names, or, when it names none, every type of the region. A volume that already exists for an
    /// encrypted slot but is of a type that does not encrypt is reported with what to do; catalyze
    /// never replaces a volume (and its data) by itself.
    public func check(_ request: CheckRequest) async throws {
        guard let key = request.desired.first(where: { $0.kind == .key }) else { return }
        let region = request.region.isEmpty ? configuration.region : request.region
        let types = try await client.call(.blockStorage, "GET", "types", region: region, action: "ListVolumeTypes")
            .body["volume_types"].array.sorted { ($0["name"].string ?? "") < ($1["name"].string ?? "") }
        var encrypts: [String: Bool] = [:]  // type id → has an encryption spec
        for type in types {
            guard let id = type["id"].string else { continue }
            encrypts[id] = try await hasEncryptionSpec(id, name: type["name"].string ?? id, address: key.address, region: region)
        }
        func type(named text: String) -> JSONValue? { types.first { $0["id"].string == text || $0["name"].string == text } }
        let encrypting = types.filter { encrypts[$0["id"].string ?? ""] == true }.compactMap { $0["name"].string }
        let offer = encrypting.isEmpty
            ? "no type in \(region) encrypts: ask the cloud's administrator for a volume type with a LUKS encryption spec and name it in encryption.volumeType"
            : "set encryption.volumeType to a type that encrypts (\(encrypting.map { "'\($0)'" }.joined(separator: ", ")) in \(region))"
        let keySpec: KeySpec
        do { keySpec = try KeySpec(key) } catch { throw DriverError.invalidSpec(address: key.address, reason: error.description) }
        if let wanted = keySpec.volumeType ?? keySpec.customerKey {
            guard let type = type(named: wanted) else {
                throw DriverError.invalidSpec(
                    address: key.address,
                    reason: "encryption.volumeType names volume type '\(wanted)', which \(region) does not have "
                        + "(its types: \(types.compactMap { $0["name"].string }.joined(separator: ", "))); \(offer)")
            }
            guard encrypts[type["id"].string ?? ""] == true else {
                throw DriverError.invalidSpec(
                    address: key.address,
                    reason: "volume type '\(type["name"].string ?? wanted)' in \(region) does not encrypt (it has no encryption spec), "
                        + "and this pod's volumes must be encrypted (encryption.enabled; the hipaa profile requires it); \(offer)")
            }
        } else if encrypting.isEmpty {
            throw DriverError.invalidSpec(
                address: key.address,
                reason: "this pod's volumes must be encrypted (encryption.enabled; the hipaa profile requires it), but \(offer)")
        }
        var encryptedSlots: Set<ResourceAddress> = []
        for desired in request.desired where desired.kind == .volume {
            do {
                if try VolumeSpec(desired).encrypted { encryptedSlots.insert(desired.address) }
            } catch {
                throw DriverError.invalidSpec(address: desired.address, reason: error.description)
            }
        }
        for live in request.live where live.kind == .volume && encryptedSlots.contains(live.address) {
            let typeText = live.resource.outputs["volume_type"] ?? ""
            guard let type = type(named: typeText), encrypts[type["id"].string ?? ""] == true else {
                throw DriverError.invalidSpec(
                    address: live.address,
                    reason: "volume \(live.resource.cloudID) is of volume type '\(typeText.isEmpty ? "none" : typeText)', which does not "
                        + "encrypt, so its data is not encrypted at rest; catalyze does not replace a volume and its data by itself. "
                        + "Copy the data to a volume of a type that encrypts (a backup restored onto one, or Cinder's os-retype with "
                        + "migration_policy on-demand where the cloud allows it), delete this volume, and run apply again: it makes "
                        + "the volume anew of the encrypting type")
            }
        }
    }

    /// Whether volume type `id` has an encryption spec. A 403 (the API is an administrator's by
    /// default) is an error saying so: an encryption nobody can read is not verified.
    private func hasEncryptionSpec(_ id: String, name: String, address: ResourceAddress, region: String) async throws -> Bool {
        let reply = try await client.call(
            .blockStorage, "GET", "types/\(id)/encryption", region: region, action: "GetEncryptionType", expected: [200, 403, 404])
        if reply.status == 403 {
            throw DriverError.invalidSpec(
                address: address,
                reason: "cannot verify that volume type '\(name)' in \(region) encrypts: Block Storage refused GET /types/\(id)/encryption "
                    + "(HTTP 403; by default only an administrator may read encryption specs, policy volume_extension:volume_type_encryption). "
                    + "Grant this account that policy, or use an account that has it")
        }
        let spec = reply.body["encryption"].isNull ? reply.body : reply.body["encryption"]
        return reply.status == 200 && spec["provider"].string != nil
    }
}
