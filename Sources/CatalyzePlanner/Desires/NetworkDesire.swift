import CatalyzeModel

/// `network.main` in every region: made by catalyze, or the existing VPC the region names.
enum NetworkDesire: KindDesire {
    static var kind: ResourceKind { .network }

    static func resources(in r: RegionDesire) -> [ResourceSpec] {
        let network = r.manifest.network
        return [r.spec("main", NetworkSpec(DesiredState.networkSource(r.region) ?? .made(
            cidr: network.cidr.description, subnetCIDR: network.subnetCidr.description, zone: r.zone)))]
    }
}
