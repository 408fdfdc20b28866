import CatalyzeCore
import CatalyzeModel

/// One `instance.<container>` per container of the region, on the host placement chose.
enum InstanceDesire: KindDesire {
    static var kind: ResourceKind { .instance }

    static func resources(in r: RegionDesire) -> [ResourceSpec] {
        r.slots.map { slot in
            r.spec(slot.name, InstanceSpec(
                role: slot.role, vcpu: slot.vcpu, memoryMiB: slot.memoryMiB, host: r.state.placements[slot.address] ?? "", zone: r.zone,
                image: "", containerImage: slot.image, network: r.ref(.network, "main"), firewall: r.firewall(slot.role),
                sshCA: r.state.sshCA, principals: PrincipalForm.scoped.name(pod: r.manifest.pod.name, region: r.region.name, container: slot.name),
                port: slot.port))
        }
    }
}
