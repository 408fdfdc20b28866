import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel

/// What the manifest wants to exist, resource by resource, once placement has chosen hosts.
///
/// Per region: `network.main` (made, or an existing VPC the region names), `firewall.main`, one `firewall_rule.<purpose>-access[-N]` per customer
/// CIDR of logging/monitoring when customer access is on, `vpn.main` when a VPN peer is set,
/// `key.storage` when encryption is on, one `instance.<container>` per container, a `volume` and an
/// `attachment` per database container, `load_balancer.main`, an `lb_target` per app container, `flow_log.main`
/// where the cloud offers flow logs and the pod keeps logs, and `backup_plan.main` (see `backupPlans(in:)`).
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
        func spec<Spec: KindSpec>(_ name: String, _ typed: Spec) -> ResourceSpec {
            ResourceSpec(
                address: ResourceAddress(region: region.name, kind: Spec.kind, name: name), provider: provider,
                cloudRegion: region.cloudRegion, typed)
        }
        func ref(_ kind: ResourceKind, _ name: String) -> ResourceAddress {
            ResourceAddress(region: region.name, kind: kind, name: name)
        }
        var specs: [ResourceSpec] = []
        let network = manifest.network
        specs.append(spec("main", NetworkSpec(Self.networkSource(region) ?? .made(
            cidr: network.cidr.description, subnetCIDR: network.subnetCidr.description, zone: zone))))
        specs.append(spec("main", FirewallSpec(network: ref(.network, "main"), ingress: ingressRules())))
        for (purpose, access) in [("logging", manifest.logging.customerAccess), ("monitoring", manifest.monitoring.customerAccess)]
        where access.enabled {
            let port = purpose == "logging" ? manifest.logging.port : manifest.monitoring.port
            for (index, cidr) in access.cidrs.enumerated() {
                let name = index == 0 ? "\(purpose)-access" : "\(purpose)-access-\(index + 1)"
                specs.append(spec(name, FirewallRuleSpec(
                    firewall: ref(.firewall, "main"), purpose: purpose, proto: "tcp", port: "\(port)", cidr: cidr.description)))
            }
        }
        if let vpn = manifest.firewall.vpn {
            specs.append(spec("main", VPNSpec(
                // Sorted and unique, as a refresh reads the routes back: manifest order is no change.
                network: ref(.network, "main"), peerIP: vpn.peer, remoteCIDRs: Set(vpn.remoteCidrs.map(\.description)).sorted())))
        }
        if manifest.encryption.enabled {
            // Only a cloud with named volume types (Rackspace) uses one; set only when named, so plans of pods
            // that name none are unchanged.
            specs.append(spec("storage", KeySpec(
                alias: "catalyze/\(manifest.pod.name)/\(region.name)", customerKey: manifest.encryption.key,
                volumeType: region.provider.capabilities.namedVolumeTypes ? manifest.encryption.volumeType : nil)))
        }
        for slot in slots {
            specs.append(spec(slot.name, InstanceSpec(
                role: slot.role, vcpu: slot.vcpu, memoryMiB: slot.memoryMiB, host: placements[slot.address] ?? "", zone: zone,
                image: "", containerImage: slot.image, network: ref(.network, "main"), firewall: ref(.firewall, "main"),
                sshCA: sshCA, principals: PrincipalForm.scoped.name(pod: manifest.pod.name, region: region.name, container: slot.name),
                port: slot.port)))
            if let storage = slot.storageGiB {
                specs.append(spec(slot.name, VolumeSpec(
                    sizeGiB: storage, encrypted: slot.encrypted, zone: zone, key: slot.encrypted ? ref(.key, "storage") : nil)))
                specs.append(spec(slot.name, AttachmentSpec(
                    volume: ref(.volume, slot.name), instance: ref(.instance, slot.name), device: "/dev/sdf")))
            }
        }
        let lb = manifest.loadBalancer
        specs.append(spec("main", LoadBalancerSpec(
            network: ref(.network, "main"), firewall: ref(.firewall, "main"), type: lb.type, scheme: lb.scheme,
            listeners: lb.listeners.map { ListenerSpec(proto: $0.proto, port: $0.port, targetPort: $0.targetPort) },
            // A tcp check connects and has no path (as the clouds read it back).
            healthCheck: "\(lb.healthCheck.proto):\(lb.healthCheck.proto == "tcp" ? "" : lb.healthCheck.path):\(lb.healthCheck.port)",
            // Only a listener that terminates TLS names a certificate; tls-passthrough leaves the key with
            // the containers, so a pod with only passthrough listeners has no `certificate` at all.
            certificate: lb.listeners.first(where: \.isTLS)?.certificate)))
        for slot in slots where slot.role == "app" {
            specs.append(spec(slot.name, LBTargetSpec(
                loadBalancer: ref(.loadBalancer, "main"), instance: ref(.instance, slot.name), port: slot.port)))
        }
        // The pod's traffic is recorded where the cloud can (a VPC flow log on AWS), for as long as its logs are kept.
        if manifest.logging.enabled, ResourceKind.flowLog.isOffered(by: provider) {
            specs.append(spec("main", FlowLogSpec(
                network: ref(.network, "main"), key: manifest.encryption.enabled ? ref(.key, "storage") : nil,
                retentionDays: FlowLogSpec.retentionDays(atLeast: manifest.logging.retention.seconds))))
        }
        specs += backupPlans(in: region)
        return specs
    }

    /// Where a region's `network.main` comes from when the manifest names an existing network;
    /// nil when catalyze makes the network.
    static func networkSource(_ region: RegionSpec) -> NetworkSpec.Source? {
        region.network.map { .existing(vpc: $0.vpc, subnets: $0.subnets) }
    }

    /// The attributes of a region's `network.main` when the manifest names an existing network
    /// (`vpc`, `subnets` comma-separated); nil when catalyze makes the network.
    public static func networkReference(_ region: RegionSpec) -> [String: String]? {
        networkSource(region).map { NetworkSpec($0).attributes }
    }

    /// The existing resources a region names, by address (what refresh is asked to report).
    public static func references(_ region: RegionSpec) -> [ResourceAddress: [String: String]] {
        guard let network = networkReference(region) else { return [:] }
        return [ResourceAddress(region: region.name, kind: .network, name: "main"): network]
    }

    /// The firewall's base rules, canonical: the manifest's ingress, traffic inside the pod
    /// network, and SSH from the customer's VPN networks (support access rides the VPN).
    func ingressRules() -> [IngressRuleSpec] {
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
