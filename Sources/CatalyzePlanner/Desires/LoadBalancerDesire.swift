import CatalyzeModel

/// `load_balancer.main` in every region, with the manifest's listeners and health check; in a
/// network catalyze makes, in two zones' public subnets (internet-facing, behind the internet
/// gateway) or private ones (internal).
enum LoadBalancerDesire: KindDesire {
    static var kind: ResourceKind { .loadBalancer }

    static func resources(in r: RegionDesire) -> [ResourceSpec] {
        let lb = r.manifest.loadBalancer
        let layout = r.networkLayout
        return [r.spec("main", LoadBalancerSpec(
            network: r.ref(.network, "main"), firewall: r.firewall(FirewallTier.lb.rawValue), type: lb.type, scheme: lb.scheme,
            listeners: lb.listeners.map { ListenerSpec(proto: $0.proto, port: $0.port, targetPort: $0.targetPort) },
            // A tcp check connects and has no path (as the clouds read it back).
            healthCheck: HealthCheckSpec(
                proto: lb.healthCheck.proto, path: lb.healthCheck.proto == "tcp" ? "" : lb.healthCheck.path, port: lb.healthCheck.port),
            // Only a listener that terminates TLS names a certificate; tls-passthrough leaves the key with
            // the containers, so a pod with only passthrough listeners has no `certificate` at all.
            certificate: lb.listeners.first(where: \.isTLS)?.certificate,
            subnets: layout.map { $0.internetFacing ? $0.publicSubnets : $0.privateSubnets } ?? [],
            internetGateway: layout?.internetFacing == true ? r.ref(.internetGateway, "main") : nil))]
    }
}
