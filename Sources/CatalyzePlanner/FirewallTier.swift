import CatalyzeManifest
import CatalyzeModel

/// A tier of the pod with its own firewall (`firewall.<tier>`) on a cloud with tiered firewalls
/// (`CloudCapabilities.tieredFirewalls`): the load balancer and each container role. Each tier
/// admits only its callers, by group reference, on the ports it serves:
///
/// | tier         | admits                                                                  |
/// |--------------|-------------------------------------------------------------------------|
/// | `lb`         | the manifest's ingress CIDRs on the listener ports their ports cover; monitoring on the listener ports |
/// | `app`        | `lb` on the app ports and the health-check port; monitoring on the app ports |
/// | `api`        | `lb` on the api port; monitoring on it                                  |
/// | `db`         | `app`, `api` and `db` (replication) on the database ports; monitoring on them |
/// | `logging`    | every other tier's containers on the logging endpoint port              |
/// | `monitoring` | nothing but SSH (customer access is a `firewall_rule` of its own)       |
///
/// Every container tier admits SSH (22) from the VPN's remote CIDRs, nothing else; no tier admits
/// a port range or the pod's whole network. Only tiers present in the region are made or referred
/// to. A `network` load balancer has no security group and keeps the client's address, so behind
/// one the app and api tiers admit the ingress CIDRs on their ports, and the pod's network on the
/// health-check port (its checks come from its own addresses in the subnets).
public enum FirewallTier: String, CaseIterable, Sendable {
    /// The load balancer (an application load balancer's security group).
    case lb
    /// The app containers.
    case app
    /// The consumer API containers.
    case api
    /// The database containers.
    case db
    /// The logging container.
    case logging
    /// The monitoring container.
    case monitoring

    /// The firewall of each tier present in a region, with its rules, in tier order: `lb` always
    /// (every region has a load balancer), a role's tier when the region runs containers of it.
    static func rules(_ manifest: PodManifest, slots: [ContainerSlot], address: (FirewallTier) -> ResourceAddress) -> [(FirewallTier, [IngressRuleSpec])] {
        let roles = Set(slots.map(\.role))
        let present = allCases.filter { $0 == .lb || roles.contains($0.rawValue) }
        func ports(_ tier: FirewallTier) -> [Int] { Set(slots.filter { $0.role == tier.rawValue }.map(\.port)).sorted() }
        func admit(_ caller: FirewallTier, _ ports: [Int]) -> [IngressRuleSpec] {
            guard present.contains(caller) else { return [] }
            return ports.map { IngressRuleSpec(proto: "tcp", fromPort: $0, toPort: $0, group: address(caller)) }
        }
        func admitCIDRs(_ cidrs: [String], _ ports: [Int]) -> [IngressRuleSpec] {
            ports.flatMap { port in cidrs.map { IngressRuleSpec(proto: "tcp", fromPort: port, toPort: port, cidr: $0) } }
        }
        let lb = manifest.loadBalancer
        let listenerPorts = Set(lb.listeners.map(\.port)).sorted()
        let behindNetworkBalancer = lb.type == "network"
        // The manifest's ingress CIDRs, on the listener ports each rule's ports cover.
        var fromOutside: [IngressRuleSpec] = []
        for rule in manifest.firewall.ingress where rule.proto == "tcp" {
            let covered = listenerPorts.filter { rule.ports.from <= $0 && $0 <= rule.ports.to }
            fromOutside += admitCIDRs(rule.cidrs.map(\.description), covered)
        }
        let ingressCIDRs = Set(manifest.firewall.ingress.filter { $0.proto == "tcp" }.flatMap { $0.cidrs.map(\.description) }).sorted()
        let ssh = admitCIDRs(Set((manifest.firewall.vpn?.remoteCidrs ?? []).map(\.description)).sorted(), [22])
        let database = ports(.db)
        return present.map { tier -> (FirewallTier, [IngressRuleSpec]) in
            var rules: [IngressRuleSpec] = tier == .lb ? [] : ssh
            switch tier {
            case .lb:
                rules += fromOutside + admit(.monitoring, listenerPorts)
            case .app, .api:
                let served = ports(tier)
                rules += admit(.lb, served) + admit(.monitoring, served)
                if tier == .app { rules += admit(.lb, [lb.healthCheck.port]) }
                if behindNetworkBalancer {
                    rules += admitCIDRs(ingressCIDRs, served)
                    if tier == .app { rules += admitCIDRs([manifest.network.cidr.description], [lb.healthCheck.port]) }
                }
            case .db:
                rules += admit(.app, database) + admit(.api, database) + admit(.db, database) + admit(.monitoring, database)
            case .logging:
                for caller in [FirewallTier.app, .api, .db, .monitoring] { rules += admit(caller, [manifest.logging.port]) }
            case .monitoring:
                break
            }
            return (tier, rules)
        }
    }
}

extension RegionDesire {
    /// The firewall of `tier`'s members (a container role, or `lb` for the load balancer): the
    /// tier's own where the cloud has tiered firewalls, else the pod-wide `main`.
    func firewall(_ tier: String) -> ResourceAddress {
        ref(.firewall, provider.capabilities.tieredFirewalls ? tier : "main")
    }
}
