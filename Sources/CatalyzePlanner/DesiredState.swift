import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel

/// What the manifest wants to exist, resource by resource, once placement has chosen hosts. Each
/// kind's own file in `Desires/` (a `KindDesire`) says when a region has resources of that kind;
/// this type only asks them all, region by region.
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

    /// Every kind's desired resources in `region`, as each kind's desire (`Desires/`) says.
    private func resources(in region: RegionSpec, slots: [ContainerSlot]) -> [ResourceSpec] {
        let desire = RegionDesire(state: self, region: region, slots: slots)
        return registeredKindDesire.flatMap { $0.resources(in: desire) }
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
}
