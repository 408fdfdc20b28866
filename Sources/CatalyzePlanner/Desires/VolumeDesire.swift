import CatalyzeModel

/// One `volume.<container>` per container with block storage (a database's), encrypted with
/// `key.storage` when its container's storage is.
enum VolumeDesire: KindDesire {
    static var kind: ResourceKind { .volume }

    static func resources(in r: RegionDesire) -> [ResourceSpec] {
        r.slots.compactMap { slot in
            slot.storageGiB.map { storage in
                r.spec(slot.name, VolumeSpec(
                    sizeGiB: storage, encrypted: slot.encrypted, zone: r.zone, key: slot.encrypted ? r.ref(.key, "storage") : nil))
            }
        }
    }
}
