import CatalyzeCore
import Foundation

/// A container's size in the integer units the checkers compare.
struct Need: Hashable {
    var vCPU: Int
    var memory: UInt64
    var disk: UInt64

    init(_ size: Resources) {
        vCPU = size.vCPU
        memory = size.memory.bytes
        disk = size.disk.bytes
    }
}

/// One member of an anti-affinity group that has a host (kept or placed in this run).
struct Member {
    var host: Int32
    var demand: Int32
}

/// The fleet as one placement run sees it: static facts per host plus usage that grows as containers land.
///
/// Arrays are indexed by host position in the caller's list; `rank` orders hosts by id for ties.
struct FleetState {
    let hosts: [FleetHost]
    let rank: [Int32]
    let regionID: [Int32]
    let zoneID: [Int32]
    let capV: [Int]
    let capM: [UInt64]
    let capD: [UInt64]
    /// The largest container each host runs (`Int.max`/`UInt64.max` when no limit).
    let maxV: [Int]
    let maxM: [UInt64]
    var usedV: [Int]
    var usedM: [UInt64]
    var usedD: [UInt64]
    /// Health and metrics verdicts, fixed for the run (nil = fine).
    let staticRejection: [Rejection?]
    /// `1 − cpu%/100` and `1 − memory%/100`, zero where metrics are missing or invalid.
    let cpuHeadroom: [Double]
    let memoryHeadroom: [Double]
    /// Measured percents (100 where missing), for the headroom minimums.
    let cpuPercent: [Double]
    let memoryPercent: [Double]
    let metricAge: [TimeSpan?]
    let weights: BidWeights
    let minimums: PlacementMinimums
    let penalty: Double
    let required: Bool
    /// Members per group index.
    var members: [[Member]]

    init(hosts: [FleetHost], policy: PlacementPolicy, now: Date, regions: inout Interner, zones: inout Interner) {
        self.hosts = hosts
        let n = hosts.count
        var order = Array(0..<n)
        order.sort { hosts[$0].id < hosts[$1].id }
        var rank = [Int32](repeating: 0, count: n)
        for (position, index) in order.enumerated() { rank[index] = Int32(position) }
        self.rank = rank
        regionID = hosts.map { regions.id(for: $0.region) }
        zoneID = hosts.map { $0.zone.map { zones.id(for: $0) } ?? -1 }
        capV = hosts.map(\.capacity.vCPU)
        capM = hosts.map(\.capacity.memory.bytes)
        capD = hosts.map(\.capacity.disk.bytes)
        maxV = hosts.map { $0.largestInstance?.vCPU ?? Int.max }
        maxM = hosts.map { $0.largestInstance?.memory.bytes ?? UInt64.max }
        usedV = [Int](repeating: 0, count: n)
        usedM = [UInt64](repeating: 0, count: n)
        usedD = [UInt64](repeating: 0, count: n)
        let metricsCheck = MetricsCheck(maxAge: policy.maxMetricAge, now: now)
        staticRejection = hosts.map { HealthCheck.rejection(of: $0) ?? metricsCheck.rejection(of: $0) }
        cpuHeadroom = hosts.map { 1 - ($0.metrics?.cpuPercent ?? 100) / 100 }
        memoryHeadroom = hosts.map { 1 - ($0.metrics?.memoryPercent ?? 100) / 100 }
        cpuPercent = hosts.map { $0.metrics?.cpuPercent ?? 100 }
        memoryPercent = hosts.map { $0.metrics?.memoryPercent ?? 100 }
        metricAge = hosts.map { $0.metrics.map { MetricsCheck.age(of: $0, now: now) } }
        weights = policy.weights
        minimums = policy.minimums
        switch policy.antiAffinity {
        case .required: (penalty, required) = (0, true)
        case .preferred(let cost): (penalty, required) = (cost, false)
        }
        members = []
    }

    /// Adds `need` to host `h`'s usage (saturating; kept placements may overcommit).
    mutating func occupy(_ h: Int, _ need: Need) {
        usedV[h] &+= need.vCPU
        let (m, mo) = usedM[h].addingReportingOverflow(need.memory)
        usedM[h] = mo ? .max : m
        let (d, dover) = usedD[h].addingReportingOverflow(need.disk)
        usedD[h] = dover ? .max : d
    }

    /// Free vCPUs, memory and disk on `h` right now (zero when overcommitted).
    func free(_ h: Int) -> (vCPU: Int, memory: UInt64, disk: UInt64) {
        (max(0, capV[h] - usedV[h]), capM[h] > usedM[h] ? capM[h] - usedM[h] : 0,
         capD[h] > usedD[h] ? capD[h] - usedD[h] : 0)
    }

    /// The four bid terms for placing `need` on `h`; call only when it fits.
    @inline(__always)
    func terms(_ h: Int, _ need: Need) -> (cpu: Double, memory: Double, freeVCPU: Double, freeMemory: Double) {
        let leftV = capV[h] - usedV[h] - need.vCPU
        let leftM = capM[h] - usedM[h] - need.memory
        return (cpuHeadroom[h], memoryHeadroom[h], Double(leftV) / Double(capV[h]), Double(leftM) / Double(capM[h]))
    }

    /// `Σ weight × term` before any anti-affinity penalty. Both strategies call exactly this.
    @inline(__always)
    func baseBid(_ h: Int, _ need: Need) -> Double {
        let t = terms(h, need)
        return weights.cpuHeadroom * t.cpu + weights.memoryHeadroom * t.memory
            + weights.freeVCPU * t.freeVCPU + weights.freeMemory * t.freeMemory
    }

    /// The bid after subtracting the preferred-anti-affinity penalty for `siblings`.
    @inline(__always)
    func penalized(_ base: Double, siblings: Int) -> Double {
        base - penalty * Double(siblings)
    }

    /// True when `a` outranks `b`: higher bid, then lower host id.
    @inline(__always)
    func outranks(_ a: Int, _ bidA: Double, _ b: Int, _ bidB: Double) -> Bool {
        bidA > bidB || (bidA == bidB && rank[a] < rank[b])
    }

    /// How many members of `group` sit on `h`, and the first one's demand index.
    @inline(__always)
    func siblings(on h: Int, group: Int) -> (count: Int, first: Int32) {
        var count = 0
        var first: Int32 = -1
        for member in members[group] where Int(member.host) == h {
            if count == 0 { first = member.demand }
            count += 1
        }
        return (count, first)
    }
}

/// Maps strings to small dense integers (regions, zones, groups) so hot loops compare integers.
struct Interner {
    private(set) var ids: [String: Int32] = [:]

    /// The id of `text`, assigning the next one when new.
    mutating func id(for text: String) -> Int32 {
        if let known = ids[text] { return known }
        let next = Int32(ids.count)
        ids[text] = next
        return next
    }

    /// The id of `text` when known.
    func existing(_ text: String) -> Int32? { ids[text] }
}
