import CatalyzeModel

/// One `lb_target.<container>` per app container: its instance behind `load_balancer.main`.
enum LBTargetDesire: KindDesire {
    static var kind: ResourceKind { .lbTarget }

    static func resources(in r: RegionDesire) -> [ResourceSpec] {
        r.slots.filter { $0.role == "app" }.map { slot in
            r.spec(slot.name, LBTargetSpec(loadBalancer: r.ref(.loadBalancer, "main"), instance: r.ref(.instance, slot.name), port: slot.port))
        }
    }
}
