import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel

/// What the manifest wants to exist, resource by resource, once placement has chosen hosts.
///
/// Per region: `network.main` (made, or an existing VPC the region names), `firewall.main`, one `firewall_rule.<purpose>-access[-N]` per customer
/// CIDR of logging/monitoring when customer access is on, `vpn.main` when a VPN peer is set,
/// `key.storage` when encryption is on, one `instance.<container>` per container, a `volume` and an
/// `attachment` per database container, `load_balancer.main`, an `lb_target` per app container, and `backup_plan.main` (see
/// `backupPlans(in:)`).
public struct DesiredState: Sendable {
    /// The manifest.
    public var manifest: PodManifest
    /// The host chosen for each instance.
    public var placements: [ResourceAddress: String]
    /// The availability zone each region's pod uses, by manifest region name.
    public var zones: [String: String]
    /// The customer's SSH CA public key line (empty when none is configured).
    public var sshCA: String

    /// Creates the builder.
    public init(manifest: PodManifest, placements: [ResourceAddress: String], zones: [String: String], sshCA: String) {
        self.manifest = manifest
        self.placements = placements
        self.zones = zones
        self.sshCA = sshCA
    }

    /// Every desired resource, sorted by address.
    public func resources() -> [ResourceSpec] {
        let slots = PodLayout.slots(manifest)
        var specs: [ResourceSpec] = []
        for region in manifest.regions {
            specs += resources(in: region, slots: slots.filter { $0.region == region.name })
        }
        return specs.sorted { $0.address < $1.address }
    }

    private func resources(in region: RegionSpec, slots: [ContainerSlot]) -> [ResourceSpec] {
        let provider = region.provider
        let zone = zones[region.name] ?? region.zones.first ?? region.cloudRegion
        func spec(_ kind: ResourceKind, _ name: String, _ attributes: [String: String]) -> ResourceSpec {
            ResourceSpec(
                address: ResourceAddress(region: region.name, kind: kind, name: name), kind: kind,
                provider: provider, cloudRegion: region.cloudRegion, attributes: attributes)
        }
        func ref(_ kind: ResourceKind, _ name: String) -> String {
            ResourceAddress(region: region.name, kind: kind, name: name).description
        }
        var specs: [ResourceSpec] = []
        let network = manifest.network
        specs.append(spec(.network, "main", Self.networkReference(region) ?? [
            "cidr": network.cidr.description, "subnet_cidr": network.subnetCidr.description, "zone": zone,
        ]))
        specs.append(spec(.firewall, "main", ["network": ref(.network, "main"), "ingress": ingressRules()]))
        for (purpose, access) in [("logging", manifest.logging.customerAccess), ("monitoring", manifest.monitoring.customerAccess)]
        where access.enabled {
            let port = purpose == "logging" ? manifest.logging.port : manifest.monitoring.port
            for (index, cidr) in access.cidrs.enumerated() {
                let name = index == 0 ? "\(purpose)-access" : "\(purpose)-access-\(index + 1)"
                specs.append(spec(.firewallRule, name, [
                    "firewall": ref(.firewall, "main"), "purpose": purpose, "protocol": "tcp", "port": "\(port)",
                    "cidr": cidr.description,
                ]))
            }
        }
        if let vpn = manifest.firewall.vpn {
            specs.append(spec(.vpn, "main", [
                "network": ref(.network, "main"), "peer_ip": vpn.peer,
                // Sorted and unique, as a refresh reads the routes back: manifest order is no change.
                "remote_cidrs": Set(vpn.remoteCidrs.map(\.description)).sorted().joined(separator: ","),
            ]))
        }
        if manifest.encryption.enabled {
            var attributes = ["alias": "catalyze/\(manifest.pod.name)/\(region.name)"]
            if let key = manifest.encryption.key { attributes["customer_key"] = key }
            // Only Rackspace makes volumes of a named type; set only when named, so plans of pods
            // that name none are unchanged.
            if region.provider == .rax, let type = manifest.encryption.volumeType { attributes["volume_type"] = type }
            specs.append(spec(.key, "storage", attributes))
        }
        for slot in slots {
            specs.append(spec(.instance, slot.name, [
                "role": slot.role, "vcpu": "\(slot.vcpu)", "memory_mib": "\(slot.memoryMiB)",
                "host": placements[slot.address] ?? "", "zone": zone, "image": "", "container_image": slot.image,
                "network": ref(.network, "main"), "firewall": ref(.firewall, "main"), "ssh_ca": sshCA,
                "principals": PrincipalForm.scoped.name(pod: manifest.pod.name, region: region.name, container: slot.name), "port": "\(slot.port)",
            ]))
            if let storage = slot.storageGiB {
                var volume = ["size_gib": "\(storage)", "encrypted": "\(slot.encrypted)", "zone": zone]
                if slot.encrypted { volume["key"] = ref(.key, "storage") }
                specs.append(spec(.volume, slot.name, volume))
                specs.append(spec(.attachment, slot.name, [
                    "volume": ref(.volume, slot.name), "instance": ref(.instance, slot.name), "device": "/dev/sdf",
                ]))
            }
        }
        let lb = manifest.loadBalancer
        var balancer = [
            "network": ref(.network, "main"), "firewall": ref(.firewall, "main"), "type": lb.type, "scheme": lb.scheme,
            "listeners": ListenerSpec.canonical(lb.listeners.map { ListenerSpec(proto: $0.proto, port: $0.port, targetPort: $0.targetPort) }),
            // A tcp check connects and has no path (as the clouds read it back).
            "health_check": "\(lb.healthCheck.proto):\(lb.healthCheck.proto == "tcp" ? "" : lb.healthCheck.path):\(lb.healthCheck.port)",
        ]
        // Only a listener that terminates TLS names a certificate; tls-passthrough leaves the key with
        // the containers, so a pod with only passthrough listeners has no `certificate` at all.
        if let certificate = lb.listeners.first(where: \.isTLS)?.certificate { balancer["certificate"] = certificate }
        specs.append(spec(.loadBalancer, "main", balancer))
        for slot in slots where slot.role == "app" {
            specs.append(spec(.lbTarget, slot.name, [
                "load_balancer": ref(.loadBalancer, "main"), "instance": ref(.instance, slot.name), "port": "\(slot.port)",
            ]))
        }
        specs += backupPlans(in: region)
        return specs
    }

    /// The attributes of a region's `network.main` when the manifest names an existing network
    /// (`vpc`, `subnets` comma-separated); nil when catalyze makes the network.
    public static func networkReference(_ region: RegionSpec) -> [String: String]? {
        region.network.map { ["vpc": $0.vpc, "subnets": $0.subnets.joined(separator: ",")] }
    }

    /// The existing resources a region names, by address (what refresh is asked to report).
    public static func references(_ region: RegionSpec) -> [ResourceAddress: [String: String]] {
        guard let network = networkReference(region) else { return [:] }
        return [ResourceAddress(region: region.name, kind: .network, name: "main"): network]
    }

    /// The firewall's base rules, canonical: the manifest's ingress, traffic inside the pod
    /// network, and SSH from the customer's VPN networks (support access rides the VPN).
    func ingressRules() -> String {
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
        return IngressRuleSpec.canonical(rules)
    }
}
