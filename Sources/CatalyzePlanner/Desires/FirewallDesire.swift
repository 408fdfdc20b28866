import CatalyzeManifest
import CatalyzeModel

/// The region's firewalls: where the cloud has tiered firewalls one `firewall.<tier>` per tier
/// present (`FirewallTier`), else `firewall.main` with the pod's base rules (`ingressRules`).
enum FirewallDesire: KindDesire {
    static var kind: ResourceKind { .firewall }

    static func resources(in r: RegionDesire) -> [ResourceSpec] {
        let network = r.ref(.network, "main")
        guard r.provider.capabilities.tieredFirewalls else {
            return [r.spec("main", FirewallSpec(network: network, ingress: ingressRules(r.manifest), own: r.ref(.firewall, "main")))]
        }
        let address = { (tier: FirewallTier) in r.ref(.firewall, tier.rawValue) }
        return FirewallTier.rules(r.manifest, slots: r.slots, address: address).map { tier, rules in
            r.spec(tier.rawValue, FirewallSpec(network: network, ingress: rules, own: address(tier)))
        }
    }

    /// The pod-wide firewall's base rules, canonical: the manifest's ingress, traffic inside the pod
    /// network, and SSH from the customer's VPN networks (support access rides the VPN).
    static func ingressRules(_ manifest: PodManifest) -> [IngressRuleSpec] {
        var rules: [IngressRuleSpec] = []
        for rule in manifest.firewall.ingress {
            for cidr in rule.cidrs {
                rules.append(IngressRuleSpec(proto: rule.proto, fromPort: rule.ports.from, toPort: rule.ports.to, cidr: cidr.description))
            }
        }
        rules.append(IngressRuleSpec(proto: "tcp", fromPort: 1, toPort: 65535, cidr: manifest.network.cidr.description))
        for cidr in manifest.firewall.vpn?.remoteCidrs ?? [] {
            rules.append(IngressRuleSpec(proto: "tcp", fromPort: 22, toPort: 22, cidr: cidr.description))
        }
        return rules
    }
}
