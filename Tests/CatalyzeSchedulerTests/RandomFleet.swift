import CatalyzeCore
import CatalyzeScheduler
import Foundation

/// A small seedable generator (SplitMix64) so random tests replay exactly.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random placement problem: fleet, demands, lockfile placements, policy. Generated from a seed.
struct RandomFleet {
    var hosts: [FleetHost] = []
    var demands: [Demand] = []
    var existing: [String: String] = [:]
    var replacing: Set<String> = []
    var policy = PlacementPolicy()
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    init(seed: UInt64, hostCount: ClosedRange<Int> = 3...24, groupCount: ClosedRange<Int> = 1...12) {
        var random = SeededRandom(seed: seed)
        let gib: UInt64 = 1 << 30
        let regions = ["us-east-1", "us-east-1", "us-west-2"]
        let zones = ["a", "b", "c"]
        let hostTotal = Int.random(in: hostCount, using: &random)
        for n in 0..<hostTotal {
            let vCPU = [4, 8, 16, 32].randomElement(using: &random)!
            let memory = UInt64(vCPU) * [2, 4, 8].randomElement(using: &random)! * gib
            let region = regions.randomElement(using: &random)!
            var residents: [Resident] = []
            if Bool.random(using: &random) {
                residents.append(Resident(id: "foreign-\(n)", size: Resources(
                    vCPU: Int.random(in: 0...vCPU / 2, using: &random), memory: ByteSize(bytes: memory / 4))))
            }
            let age = [30.0, 120, 600, 2_000].randomElement(using: &random)!
            let metrics: HostMetrics? = Int.random(in: 0..<12, using: &random) == 0 ? nil : HostMetrics(
                cpuPercent: Double(Int.random(in: 0...100, using: &random)),
                memoryPercent: Double(Int.random(in: 0...100, using: &random)), sampledAt: now.addingTimeInterval(-age))
            let health: HostHealth = Int.random(in: 0..<8, using: &random) == 0 ? .unhealthy("permanent-failure") : .healthy
            hosts.append(FleetHost(
                id: "h\(String(Int.random(in: 0..<1_000_000, using: &random)))-\(n)", region: region,
                zone: region + zones.randomElement(using: &random)!,
                capacity: Resources(vCPU: vCPU, memory: ByteSize(bytes: memory), disk: ByteSize(bytes: 500 * gib)),
                residents: residents, metrics: metrics, health: health))
        }
        // Groups of 1–5 members; same size within a group, a few limited to one or two zones.
        for g in 0..<Int.random(in: groupCount, using: &random) {
            let region = regions.randomElement(using: &random)!
            var allowed: [String] = []
            if Int.random(in: 0..<5, using: &random) == 0 {
                allowed = Array(Set((0..<Int.random(in: 1...2, using: &random)).map { _ in region + zones.randomElement(using: &random)! })).sorted()
            }
            let size = Resources(
                vCPU: [0, 1, 2, 4].randomElement(using: &random)!, memory: ByteSize(bytes: [1, 2, 4, 8].randomElement(using: &random)! * gib),
                disk: ByteSize(bytes: [0, 50, 100].randomElement(using: &random)! * gib))
            for k in 1...Int.random(in: 1...5, using: &random) {
                demands.append(Demand(id: "r/instance.g\(g)m\(k)", group: "pod/r/g\(g)", region: region, zones: allowed, size: size))
            }
        }
        demands.shuffle(using: &random)
        // Some lockfile placements: most on real hosts (with the resident present), some on gone hosts.
        for demand in demands where Int.random(in: 0..<3, using: &random) == 0 {
            if Int.random(in: 0..<5, using: &random) == 0 {
                existing[demand.id] = "gone-host"
            } else if let h = hosts.indices.randomElement(using: &random) {
                existing[demand.id] = hosts[h].id
                if Bool.random(using: &random) { hosts[h].residents.append(Resident(id: demand.id, size: demand.size)) }
                if Int.random(in: 0..<6, using: &random) == 0 { replacing.insert(demand.id) }
            }
        }
        policy.weights = BidWeights(
            cpuHeadroom: Double(Int.random(in: 0...10, using: &random)) / 10,
            memoryHeadroom: Double(Int.random(in: 0...10, using: &random)) / 10,
            freeVCPU: Double(Int.random(in: 0...10, using: &random)) / 10,
            freeMemory: Double(Int.random(in: 0...10, using: &random)) / 10)
        policy.minimums = PlacementMinimums(
            cpuHeadroomPercent: Double(Int.random(in: 0...20, using: &random)),
            memoryHeadroomPercent: Double(Int.random(in: 0...20, using: &random)),
            freeVCPUPercent: Double(Int.random(in: 0...3, using: &random) * 5),
            freeMemoryPercent: Double(Int.random(in: 0...3, using: &random) * 5))
        if Int.random(in: 0..<3, using: &random) == 0 {
            policy.antiAffinity = .preferred(penalty: [0, 0.05, 0.25, 1].randomElement(using: &random)!)
        }
    }

    /// Placement with the given strategy (and explain on demand); the error as a value.
    func place(strategy: Scheduler.Strategy = .indexed, explain: Bool = false, hosts order: [FleetHost]? = nil)
        -> Result<PlacementResult, PlacementError>
    {
        Result { () throws(PlacementError) in
            try Scheduler.place(
                demands, on: order ?? hosts, existing: existing, replacing: replacing, policy: policy, now: now,
                explain: explain, strategy: strategy)
        }
    }
}
