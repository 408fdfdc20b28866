import CatalyzeModel

/// One `attachment.<container>` per volume: the container's volume on its instance.
enum AttachmentDesire: KindDesire {
    static var kind: ResourceKind { .attachment }

    static func resources(in r: RegionDesire) -> [ResourceSpec] {
        r.slots.filter { $0.storageGiB != nil }.map { slot in
            r.spec(slot.name, AttachmentSpec(volume: r.ref(.volume, slot.name), instance: r.ref(.instance, slot.name), device: "/dev/sdf"))
        }
    }
}
