import CatalyzeManifest
import CatalyzeModel

/// `firewall.main` in every region, with the pod's base rules (`ingressRules`).
enum FirewallDesire: KindDesire {
    static var kind: ResourceKind { .firewall }

    static func resources(in r: RegionDesire) -> [ResourceSpec] {
        [r.spec("main", FirewallSpec(network: r.ref(.network, "main"), ingress: ingressRules(r.manifest)))]
    }

    /// The firewall's base rules, canonical: the manifest's ingress, traffic inside the pod
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
