import CatalyzeModel

/// `route_table.private` for the private subnets (the S3 endpoint's route, the VPN gateway's routes
/// propagated when the manifest names a VPN) and, for an internet-facing load balancer,
/// `route_table.public` for the public subnets (the default route to the internet gateway).
enum RouteTableDesire: KindDesire {
    static var kind: ResourceKind { .routeTable }

    static func resources(in r: RegionDesire) -> [ResourceSpec] {
        guard let layout = r.networkLayout else { return [] }
        let vpn = r.manifest.firewall.vpn == nil ? nil : r.ref(.vpn, "main")
        var specs = [r.spec("private", RouteTableSpec(network: layout.network, subnets: layout.privateSubnets, vpn: vpn))]
        if layout.internetFacing {
            specs.append(r.spec("public", RouteTableSpec(
                network: layout.network, subnets: layout.publicSubnets, internetGateway: r.ref(.internetGateway, "main"))))
        }
        return specs
    }
}
