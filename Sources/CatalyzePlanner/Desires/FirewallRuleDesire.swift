import CatalyzeModel

/// One `firewall_rule.<purpose>-access[-N]` per customer CIDR of logging and monitoring, while the
/// service runs and the customer's access to it is on: on the logging or monitoring tier's own
/// firewall where the cloud has tiers (`RegionDesire.firewall`), so the customer reaches exactly
/// that endpoint; a rule recorded on the pod-wide `firewall.main` moves (its `firewall` is a
/// replace trigger: revoked there, authorized on the tier's group).
enum FirewallRuleDesire: KindDesire {
    static var kind: ResourceKind { .firewallRule }

    static func resources(in r: RegionDesire) -> [ResourceSpec] {
        let manifest = r.manifest
        var specs: [ResourceSpec] = []
        let services = [
            ("logging", manifest.logging.enabled, manifest.logging.customerAccess),
            ("monitoring", manifest.monitoring.enabled, manifest.monitoring.customerAccess),
        ]
        for (purpose, runs, access) in services where runs && access.enabled {
            let port = purpose == "logging" ? manifest.logging.port : manifest.monitoring.port
            for (index, cidr) in access.cidrs.enumerated() {
                let name = index == 0 ? "\(purpose)-access" : "\(purpose)-access-\(index + 1)"
                specs.append(r.spec(name, FirewallRuleSpec(
                    firewall: r.firewall(purpose), purpose: purpose, proto: "tcp", port: "\(port)", cidr: cidr.description)))
            }
        }
        return specs
    }
}
