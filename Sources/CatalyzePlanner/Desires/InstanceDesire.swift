import CatalyzeCore
import CatalyzeModel

/// One `instance.<container>` per container of the region, on the host placement chose; its root
/// volume encrypted with the region's `key.storage` where encryption is on and the cloud encrypts roots.
enum InstanceDesire: KindDesire {
    static var kind: ResourceKind { .instance }

    static func resources(in r: RegionDesire) -> [ResourceSpec] {
        let rootKey = r.manifest.encryption.enabled && r.provider.capabilities.rootVolumeEncryption ? r.ref(.key, "storage") : nil
        return r.slots.map { slot in
            r.spec(slot.name, InstanceSpec(
                role: slot.role, vcpu: slot.vcpu, memoryMiB: slot.memoryMiB, host: r.state.placements[slot.address] ?? "", zone: r.zone,
                image: "", containerImage: slot.image, network: r.ref(.network, "main"), firewall: r.firewall(slot.role),
                sshCA: r.state.sshCA, principals: PrincipalForm.scoped.name(pod: r.manifest.pod.name, region: r.region.name, container: slot.name),
                port: slot.port, rootKey: rootKey))
        }
    }
}
