import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeScheduler
import CatalyzeState
import Foundation

/// What the cloud says about a pod's regions: each region's fleet and the pod's live resources.
public struct LiveView: Sendable {
    /// The fleet of each manifest region, by region name.
    public var fleets: [String: [CatalyzeDrivers.FleetHost]]
    /// Every live resource tagged for the pod, across its regions.
    public var resources: [LiveResource]
}

/// A plan together with the placement bids behind it.
public struct PlanOutcome: Sendable {
    /// The plan.
    public var plan: Plan
    /// Per region, the placement trace (when `explain` was asked).
    public var traces: [String: PlacementTrace]
    /// What the cloud said (an apply re-placing after a reservation conflict plans again from it).
    public var view: LiveView? = nil
}

/// The read side of a run: asks each region's driver for its fleet and the pod's resources (all
/// regions at once), places containers, and plans. The one entry point `plan`, `apply` and `destroy` share.
public struct PodEngine: Sendable {
    /// The driver for each cloud.
    public var drivers: [Provider: CloudDriver]
    /// "Now", for metric ages.
    public var clock: WallClock

    /// Creates the engine.
    public init(drivers: [Provider: CloudDriver], clock: WallClock) {
        self.drivers = drivers
        self.clock = clock
    }

    /// Reads every region's fleet and live resources, concurrently (two calls' worth of latency, not 2×regions).
    public func survey(_ manifest: PodManifest, fleets wantFleets: Bool = true) async throws -> LiveView {
        try await withThrowingTaskGroup(of: (String, [CatalyzeDrivers.FleetHost]?, [LiveResource]).self) { group in
            for region in manifest.regions {
                let provider = region.provider
                guard let driver = drivers[provider] else { throw DriverError.authentication("no \(provider) credentials configured") }
                let pod = manifest.pod.name
                let references = DesiredState.references(region)
                group.addTask {
                    async let live = driver.refresh(RefreshRequest(pod: pod, region: region.cloudRegion, references: references))
                    let fleet = wantFleets ? try await driver.fleet(FleetRequest(region: region.cloudRegion)).hosts : nil
                    return (region.name, fleet, try await live.resources.filter { $0.address.region == region.name })
                }
            }
            var fleets: [String: [CatalyzeDrivers.FleetHost]] = [:]
            var resources: [LiveResource] = []
            for try await (name, fleet, live) in group {
                if let fleet { fleets[name] = fleet }
                resources += live
            }
            return LiveView(fleets: fleets, resources: resources.sorted { $0.address < $1.address })
        }
    }

    /// A region that names an existing VPC keeps the pod's `network.cidr` in it: the firewall lets
    /// the pod's own traffic in by that block, so a block outside the VPC would cut the containers
    /// off from each other. Checked against the VPC's CIDR as refresh read it (`outputs["cidr"]`).
    /// And an application load balancer there needs the named subnets to span two zones
    /// (`outputs["subnet_zones"]`).
    static func checkReferencedNetworks(_ manifest: PodManifest, live: [LiveResource]) throws {
        for region in manifest.regions {
            guard let reference = region.network else { continue }
            let address = ResourceAddress(region: region.name, kind: .network, name: "main")
            guard let found = live.first(where: { $0.address == address }),
                  let text = found.resource.outputs["cidr"], let block = CIDR(parsing: text)
            else { continue }
            if !block.contains(manifest.network.cidr) {
                throw DriverError.invalidSpec(
                    address: address,
                    reason: "network.cidr \(manifest.network.cidr) is not inside VPC \(reference.vpc)'s \(block) in \(region.cloudRegion); "
                        + "set network.cidr to the VPC's block (the firewall admits the pod's own traffic by it)")
            }
            // An application load balancer needs subnets in two zones (ELBv2 CreateLoadBalancer); the
            // subnets named are the ones it gets, so one zone is refused now rather than mid-apply.
            let zones = (found.resource.outputs["subnet_zones"] ?? "").split(separator: ";").compactMap { $0.split(separator: "=").dropFirst().first }
            if manifest.loadBalancer.type == "application", Set(zones).count < 2 {
                throw DriverError.invalidSpec(
                    address: address,
                    reason: "the subnets named for VPC \(reference.vpc) in \(region.cloudRegion) (\(reference.subnets.joined(separator: ", "))) "
                        + "lie in \(Set(zones).count == 1 ? "one availability zone, \(zones[0])" : "no availability zone"); "
                        + "an application load balancer needs subnets in at least two (name a subnet of another zone in regions[].network.subnets)")
            }
        }
    }

    /// Asks each region's driver whether the cloud can make what the region's desired resources
    /// ask for (`CloudDriver.check`), one region after another so the first problem is always the same.
    func check(_ manifest: PodManifest, desired: [ResourceSpec], live: [LiveResource]) async throws {
        for region in manifest.regions {
            guard let driver = drivers[region.provider] else { continue }
            try await driver.check(CheckRequest(
                region: region.cloudRegion, desired: desired.filter { $0.address.region == region.name },
                live: live.filter { $0.address.region == region.name }))
        }
    }

    /// Plans the pod: survey, placement (lockfile placements kept), desired state, diff.
    ///
    /// - Parameters:
    ///   - sshCA: the customer's SSH CA public key line ("" when none).
    ///   - destroy: plan the removal of everything instead.
    ///   - newLineage: the lineage a first apply will create (tokens derive from it).
    ///   - importing: plan an `import` of these resources instead of the manifest's changes.
    ///   - replacing: recorded instances to make anew (`--replace`; `Planner.replaceableAddress` checked them).
    ///   - reserved: other pods' fleet reservations by manifest region, counted against their hosts.
    ///   - refused: hosts the cloud refused to launch on for lack of room (taken as full).
    ///   - pinned: new instances kept on the hosts already chosen (only the others are placed).
    ///   - view: the survey to plan from instead of asking the cloud again.
    /// - Throws: `LineageError` when the cloud holds resources of the pod this lockfile does not
    ///   own (before any change is proposed), besides the survey's and placement's errors.
    public func plan(
        _ manifest: PodManifest, lockfile: Lockfile?, sshCA: String, explain: Bool = false, destroy: Bool = false,
        newLineage: String, importing: ImportSelection? = nil, replacing: Set<ResourceAddress> = [],
        reserved: [String: [Reservation]] = [:], refused: Set<String> = [], pinned: [ResourceAddress: String] = [:],
        view: LiveView? = nil
    ) async throws -> PlanOutcome {
        let surveyed: LiveView
        if let view { surveyed = view } else { surveyed = try await survey(manifest, fleets: !destroy) }
        var view = surveyed
        view.fleets = FleetReservations.adjusted(view.fleets, others: reserved, refused: refused)
        var desired: [ResourceSpec] = []
        var traces: [String: PlacementTrace] = [:]
        var placement: PodPlacement?
        let existing = PodPlacement.recordedHosts(lockfile, live: view.resources)
        if !destroy {
            try Self.checkReferencedNetworks(manifest, live: view.resources)
            placement = try PodPlacement.place(
                manifest, fleets: view.fleets, existing: existing, pinned: pinned, now: clock.now(), explain: explain)
            traces = placement?.traces ?? [:]
            desired = DesiredState(manifest: manifest, placements: placement!.placements, zones: placement!.zones, sshCA: sshCA)
                .resources()
            try await check(manifest, desired: desired, live: view.resources)
        }
        let regions = RegionTarget.targets(of: manifest)
        try LineageGuard.check(
            pod: manifest.pod.name, lineage: lockfile?.lineage ?? newLineage, lockfile: lockfile, desired: desired,
            live: view.resources, regions: regions, importing: importing, now: clock.now())
        var input = PlanInput(
            pod: manifest.pod.name, desired: desired, lockfile: lockfile, live: view.resources, newLineage: newLineage,
            regions: regions, destroying: destroy, importing: importing,
            groups: destroy ? [:] : Dictionary(PodLayout.slots(manifest).map { ($0.address, $0.group) }, uniquingKeysWith: { first, _ in first }),
            replacing: replacing)
        var plan = Planner.plan(input)
        // Members of a rolling replacement: made before their old instance goes where the fleet has
        // room (`PodPlacement.roomForNewMembers`), on the host found; planned again with that.
        let members = Planner.replacedMembers(plan).map(\.member)
        if var placement, !members.isEmpty {
            let room = PodPlacement.roomForNewMembers(manifest, fleets: view.fleets, existing: existing, members: members, now: clock.now())
            for (member, host) in room.hosts { placement.placements[member] = host }
            input.desired = DesiredState(manifest: manifest, placements: placement.placements, zones: placement.zones, sshCA: sshCA)
                .resources()
            input.strategies = room.choices
            plan = Planner.plan(input)
        }
        return PlanOutcome(plan: plan, traces: traces, view: surveyed)
    }
}
