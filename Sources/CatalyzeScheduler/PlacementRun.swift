import CatalyzeCore
import Foundation

/// One call to `Scheduler.place`: validated input, the fleet's state, and the decisions so far.
struct PlacementRun {
    let demands: [Demand]
    let policy: PlacementPolicy
    var fleet: FleetState
    var regions = Interner()
    var zones = Interner()
    /// Distinct zone lists of demands, and the interned zones each allows.
    var zoneSets = Interner()
    var zoneSetMembers: [Set<Int32>] = []
    /// Group index per demand.
    var demandGroup: [Int32] = []
    /// Host index per demand, −1 while unplaced.
    var assigned: [Int32]
    /// Demands whose lockfile placement was dropped: old host id and why.
    var moves: [Int: (from: String, reason: MoveReason)] = [:]
    /// Size classes for the indexed strategy.
    var classIndex: [ClassKey: Int] = [:]
    var classes: [BidHeap] = []
    var frontier: [Int32] = []

    init(demands: [Demand], hosts: [FleetHost], policy: PlacementPolicy, now: Date) throws(PlacementError) {
        let problems = policy.problems
        guard problems.isEmpty else { throw .invalidPolicy(problems) }
        self.demands = demands
        self.policy = policy
        fleet = FleetState(hosts: hosts, policy: policy, now: now, regions: &regions, zones: &zones)
        assigned = [Int32](repeating: -1, count: demands.count)
        var seen = Set<String>(minimumCapacity: hosts.count)
        for host in hosts where !seen.insert(host.id).inserted { throw .duplicateHost(host.id) }
        seen = Set(minimumCapacity: demands.count)
        for demand in demands {
            guard seen.insert(demand.id).inserted else { throw .duplicateDemand(demand.id) }
            guard demand.size.vCPU >= 0 else { throw .negativeSize(demand.id) }
        }
        var groups = Interner()
        demandGroup = demands.map { groups.id(for: $0.group) }
        fleet.members = Array(repeating: [], count: groups.ids.count)
    }

    /// Keeps lockfile placements whose host is still there and healthy, then counts every resident's usage.
    ///
    /// Kept placements are settled in demand-id order; under `required`, a later sibling sharing a
    /// host with an earlier kept one is moved. A moved container's old slot is released first, so it
    /// never blocks its own replacement.
    mutating func settleExisting(_ existing: [String: String], replacing: Set<String>) {
        var hostIndex: [String: Int] = [:]
        if !existing.isEmpty {
            hostIndex.reserveCapacity(fleet.hosts.count)
            for (h, host) in fleet.hosts.enumerated() { hostIndex[host.id] = h }
        }
        var keep: [(demand: Int, host: Int)] = []
        var releasedFrom: [String: Int] = [:]
        for (i, demand) in demands.enumerated() {
            guard let hostID = existing[demand.id] else { continue }
            let h = hostIndex[hostID]
            var reason: MoveReason?
            if replacing.contains(demand.id) {
                reason = .replaceRequested
            } else if let h {
                if case .unhealthy(let why) = fleet.hosts[h].health {
                    reason = .hostUnhealthy(why)
                } else if !sameRegion(h, demand) {
                    reason = .placeChanged
                }
            } else {
                reason = .hostGone
            }
            if let reason {
                moves[i] = (hostID, reason)
                if let h { releasedFrom[demand.id] = h }
            } else if let h {
                keep.append((i, h))
            }
        }
        keep.sort { demands[$0.demand].id < demands[$1.demand].id }
        for (i, h) in keep {
            let g = Int(demandGroup[i])
            if fleet.required, fleet.siblings(on: h, group: g).count > 0 {
                let sibling = demands[Int(fleet.siblings(on: h, group: g).first)].id
                moves[i] = (fleet.hosts[h].id, .sharedWithSibling(sibling))
                releasedFrom[demands[i].id] = h
                continue
            }
            assigned[i] = Int32(h)
            fleet.members[g].append(Member(host: Int32(h), demand: Int32(i)))
        }
        for (h, host) in fleet.hosts.enumerated() {
            for resident in host.residents where releasedFrom[resident.id] != h {
                fleet.occupy(h, Need(resident.size))
            }
        }
        for (i, h) in keep where assigned[i] == Int32(h) {
            if !fleet.hosts[h].residents.contains(where: { $0.id == demands[i].id }) {
                fleet.occupy(h, Need(demands[i].size))
            }
        }
    }

    private func sameRegion(_ h: Int, _ demand: Demand) -> Bool {
        let host = fleet.hosts[h]
        return host.region == demand.region && (demand.zones.isEmpty || host.zone.map(demand.zones.contains) == true)
    }

    /// Interned region and zone set (−2 = any zone) of demand `i`.
    mutating func place(of i: Int) -> (region: Int32, zones: Int32) {
        let demand = demands[i]
        let region = regions.id(for: demand.region)
        guard !demand.zones.isEmpty else { return (region, -2) }
        let set = zoneSets.id(for: demand.zones.sorted().joined(separator: "\n"))
        if Int(set) == zoneSetMembers.count { zoneSetMembers.append(Set(demand.zones.map { zones.id(for: $0) })) }
        return (region, set)
    }

    /// Whether host `h` is in zone set `zones` (−2 = any).
    @inline(__always)
    func zoneAllowed(_ h: Int, _ zones: Int32) -> Bool {
        zones == -2 || zoneSetMembers[Int(zones)].contains(fleet.zoneID[h])
    }

    /// Records that demand `i` lands on host `h`.
    mutating func commit(_ i: Int, on h: Int, need: Need) {
        assigned[i] = Int32(h)
        fleet.occupy(h, need)
        fleet.members[Int(demandGroup[i])].append(Member(host: Int32(h), demand: Int32(i)))
    }

    /// The assignment for demand `i` once it has a host.
    func assignment(_ i: Int, kept: Bool) -> Assignment {
        let decision: Decision =
            if kept { .kept } else if let move = moves[i] { .moved(from: move.from, reason: move.reason) } else { .placed }
        return Assignment(demandID: demands[i].id, hostID: fleet.hosts[Int(assigned[i])].id, decision: decision)
    }
}

/// A size class: containers that every host judges alike (same place, same size).
struct ClassKey: Hashable {
    var region: Int32
    var zones: Int32
    var need: Need
}
