import CatalyzeModel

/// `vpc_endpoint.s3`: the private subnets' one way out. An instance boots with only catalyze's
/// user data (sshd's configuration: `BootConfiguration`) and installs packages from the Amazon
/// Linux repositories, which are served from S3 in the region; a gateway endpoint reaches S3
/// without the internet and costs nothing (a NAT gateway per zone would cost about 33 USD a month
/// each, before data). AWS only.
enum VPCEndpointDesire: KindDesire {
    static var kind: ResourceKind { .vpcEndpoint }

    static func resources(in r: RegionDesire) -> [ResourceSpec] {
        guard let layout = r.networkLayout else { return [] }
        return [r.spec("s3", VPCEndpointSpec(network: layout.network, service: "s3", routeTables: [r.ref(.routeTable, "private")]))]
    }
}
