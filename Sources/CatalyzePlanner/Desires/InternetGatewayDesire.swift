import CatalyzeModel

/// `internet_gateway.main` only where the region's load balancer is internet-facing in a network
/// catalyze makes: nothing else in the pod is reached from, or reaches, the internet.
enum InternetGatewayDesire: KindDesire {
    static var kind: ResourceKind { .internetGateway }

    static func resources(in r: RegionDesire) -> [ResourceSpec] {
        guard let layout = r.networkLayout, layout.internetFacing else { return [] }
        return [r.spec("main", InternetGatewaySpec(network: layout.network))]
    }
}
