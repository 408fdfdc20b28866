import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzeScheduler
import CatalyzeState
import Foundation

/// Turns the pod's containers and the live fleets into scheduler input, runs placement, and
/// returns which host each instance goes to (plus the `--explain` trace when asked).
public struct PodPlacement: Sendable {
    /// Host chosen per instance address.
    public var placements: [ResourceAddress: String]
    /// The availability zone each manifest region uses.
    public var zones: [String: String]
    /// Per region, the bids (when `explain` was asked).
    public var traces: [String: PlacementTrace]

    /// Places every container of `manifest` on the fleets of its regions.
    ///
    /// - Parameters:
    ///   - fleets: the live fleet of each manifest region, by region name.
    ///   - existing: the lockfile's instances (address → host), kept unless their host is gone or unhealthy.
    ///   - replacing: instance addresses to place afresh.
    ///   - pinned: new instances kept on the host already chosen for them (an apply re-placing only
    ///     the containers that no longer fit after another pipeline's reservations).
    /// - Throws: `PlacementError` naming the group, the rule and every host considered.
    public static func place(
        _ manifest: PodManifest, fleets: [String: [CatalyzeDrivers.FleetHost]], existing: [ResourceAddress: String],
        replacing: Set<ResourceAddress> = [], pinned: [ResourceAddress: String] = [:], now: Date, explain: Bool
    ) throws(PlacementError) -> PodPlacement {
        let policy = PlacementPolicy(manifest.scheduling)
        let slots = PodLayout.slots(manifest)
        var placements: [ResourceAddress: String] = [:]
        var zones: [String: String] = [:]
        var traces: [String: PlacementTrace] = [:]
        for region in manifest.regions {
            let fleet = fleets[region.name] ?? []
            let zone = region.zones.first ?? busiestZone(fleet) ?? region.cloudRegion
            zones[region.name] = zone
            let mine = slots.filter { $0.region == region.name }
            let mineIDs = Set(mine.map { $0.address.description })
            let hosts = schedulerHosts(fleet, ownSlots: mine, existing: existing)
            let demands = Self.demands(mine, cloudRegion: region.cloudRegion, zone: zone)
            var kept: [String: String] = [:]
            for (address, host) in existing where mineIDs.contains(address.description) { kept[address.description] = host }
            for (address, host) in pinned where mineIDs.contains(address.description) { kept[address.description] = host }
            let result = try Scheduler.place(
                demands, on: hosts, existing: kept, replacing: Set(replacing.map(\.description)), policy: policy,
                now: now, explain: explain)
            for assignment in result.assignments {
                if let address = ResourceAddress(parsing: assignment.demandID) { placements[address] = assignment.hostID }
            }
            if let trace = result.trace { traces[region.name] = trace }
        }
        return PodPlacement(placements: placements, zones: zones, traces: traces)
    }

    /// What runs on a host apart from this pod's own recorded instances: the fleet's allocation
    /// less the sizes of the pod's containers recorded there (the demands place those again).
    /// The fleet as the scheduler sees it: capacity, what already runs on each host less this
    /// pod's own instances (the demands re-place them), metrics and health.
    static func schedulerHosts(
        _ fleet: [CatalyzeDrivers.FleetHost], ownSlots: [ContainerSlot], existing: [ResourceAddress: String]
    ) -> [CatalyzeScheduler.FleetHost] {
        fleet.map { host in
            CatalyzeScheduler.FleetHost(
                id: host.id, provider: host.provider.rawValue, region: host.region, zone: host.zone,
                capacity: Resources(vCPU: host.capacity.vcpu, memory: ByteSize(bytes: UInt64(host.capacity.memoryMiB) << 20)),
                residents: residents(host, ownSlots: ownSlots, existing: existing),
                metrics: metrics(host),
                health: host.healthy ? .healthy : .unhealthy("reported unavailable"),
                largestInstance: host.largestInstance.map {
                    Resources(vCPU: $0.vcpu, memory: ByteSize(bytes: UInt64($0.memoryMiB) << 20))
                })
        }
    }

    /// One scheduler demand per container slot of a region, in `zone`.
    static func demands(_ slots: [ContainerSlot], cloudRegion: String, zone: String) -> [Demand] {
        slots.map { slot in
            Demand(
                id: slot.address.description, group: slot.group, region: cloudRegion, zones: [zone],
                size: Resources(vCPU: slot.vcpu, memory: ByteSize(bytes: UInt64(slot.memoryMiB) << 20)))
        }
    }

    static func residents(
        _ host: CatalyzeDrivers.FleetHost, ownSlots: [ContainerSlot], existing: [ResourceAddress: String]
    ) -> [Resident] {
        var vcpu = host.allocated.vcpu
        var memoryMiB = host.allocated.memoryMiB
        for slot in ownSlots where existing[slot.address] == host.id {
            vcpu -= slot.vcpu
            memoryMiB -= slot.memoryMiB
        }
        guard vcpu > 0 || memoryMiB > 0 else { return [] }
        return [Resident(
            id: "others-on-\(host.id)",
            size: Resources(vCPU: max(0, vcpu), memory: ByteSize(bytes: UInt64(max(0, memoryMiB)) << 20)))]
    }

    static func metrics(_ host: CatalyzeDrivers.FleetHost) -> HostMetrics? {
        guard let cpu = host.cpuPercent, let memory = host.memoryPercent, let at = host.sampledAt else { return nil }
        return HostMetrics(
            cpuPercent: cpu, memoryPercent: memory, sampledAt: at,
            cpuSource: (host.cpuSource ?? .agent).rawValue, memorySource: (host.memorySource ?? .agent).rawValue)
    }

    /// The zone with the most healthy hosts (ties: alphabetical), nil for an empty fleet.
    static func busiestZone(_ fleet: [CatalyzeDrivers.FleetHost]) -> String? {
        var counts: [String: Int] = [:]
        for host in fleet where host.healthy { counts[host.zone, default: 0] += 1 }
        return counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.first?.key
    }
}

extension PodPlacement {
    /// The hosts the pod's instances run on (what placement keeps), by address: as the lockfile records
    /// them, and for instances only the cloud holds, as refresh found them (`live`).
    public static func recordedHosts(_ lockfile: Lockfile?, live: [LiveResource] = []) -> [ResourceAddress: String] {
        var hosts: [ResourceAddress: String] = [:]
        for record in lockfile?.sortedRecords ?? [] where record.kind == .instance {
            if let host = record.attributes["host"], !host.isEmpty { hosts[record.address] = host }
        }
        // An instance create an interrupted apply journaled resumes on the host it asked for (its
        // token is bound to that request).
        for entry in lockfile?.journal ?? [] where entry.kind == .instance && entry.operation == .create && hosts[entry.address] == nil {
            if let host = entry.attributes["host"], !host.isEmpty { hosts[entry.address] = host }
        }
        // Instances the lockfile does not hold but the cloud does (a lost lockfile, an interrupted
        // first apply): the plan adopts them where they run, so their hosts are kept as well. The
        // old instance of a create-before-destroy (recorded at its deposed address) is not one.
        for found in live where found.kind == .instance && hosts[found.address] == nil && lockfile?.resources[found.address] == nil {
            let deposed = found.address.deposed(cloudID: found.resource.cloudID)
            guard lockfile?.resources[deposed]?.cloudID != found.resource.cloudID else { continue }
            if let host = found.resource.attributes["host"], !host.isEmpty { hosts[found.address] = host }
        }
        return hosts
    }
}

extension PodPlacement {
    /// How placement sees one live host before any container is weighed: the age of its last
    /// metrics sample, and why no container could go there (unhealthy, no or stale or invalid
    /// metrics), nil when it is eligible. `catalyze hosts` shows this, so it marks exactly the
    /// hosts `plan` filters out, with the same words.
    public static func eligibility(
        of host: CatalyzeDrivers.FleetHost, scheduling: Scheduling, now: Date
    ) -> (metricAge: TimeSpan?, rejection: Rejection?) {
        let check = MetricsCheck(maxAge: PlacementPolicy(scheduling).maxMetricAge, now: now)
        let sample = metrics(host)
        let age = sample.map { MetricsCheck.age(of: $0, now: now) }
        if !host.healthy { return (age, .unhealthy("reported unavailable")) }
        let probe = CatalyzeScheduler.FleetHost(
            id: host.id, region: host.region, capacity: Resources(vCPU: 0, memory: ByteSize(bytes: 0)), metrics: sample)
        return (age, check.rejection(of: probe))
    }
}

extension PlacementPolicy {
    /// The manifest's scheduling section as a scheduler policy.
    init(_ scheduling: Scheduling) {
        self.init(
            weights: BidWeights(
                cpuHeadroom: scheduling.weights.cpu, memoryHeadroom: scheduling.weights.memory,
                freeVCPU: scheduling.weights.freeVcpu, freeMemory: scheduling.weights.freeMemory),
            minimums: PlacementMinimums(
                cpuHeadroomPercent: scheduling.minimums.cpuHeadroomPercent,
                memoryHeadroomPercent: scheduling.minimums.memoryHeadroomPercent,
                freeVCPUPercent: scheduling.minimums.freeVcpuPercent,
                freeMemoryPercent: scheduling.minimums.freeMemoryPercent),
            antiAffinity: scheduling.antiAffinity == .required ? .required : .preferred(penalty: scheduling.preferredPenalty),
            maxMetricAge: scheduling.maxMetricAge)
    }
}
