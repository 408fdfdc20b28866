// Placement at fleet scale: 10,000 hosts, 1,000,000 containers in anti-affinity groups of 2–4.
// Target: ≥ 200,000 placements/s (1M in ≤ 5 s) and peak memory ≤ 1 GiB on a 2-core machine.
// The naive strategy (every host bids for every container) runs on a 1,000-container slice of the
// same input and is compared per placement with the indexed run of the full million.
import Benchmark
import CatalyzeCore
import CatalyzeModel
import CatalyzeScheduler
import Foundation

let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "Placement indexed: 1M containers on 10k hosts",
        configuration: .init(
            metrics: [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal, placementsPerSecond],
            warmupIterations: 0, scalingFactor: .mega, maxDuration: .seconds(60), maxIterations: 3)
    ) { benchmark in
        let input = PlacementInput.shared
        let clock = ContinuousClock()
        benchmark.startMeasurement()
        let start = clock.now
        let result = try Scheduler.place(input.demands, on: input.hosts, now: input.now)
        let elapsed = clock.now - start
        benchmark.stopMeasurement()
        precondition(result.assignments.count == input.demands.count)
        blackHole(result)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        benchmark.measurement(placementsPerSecond, Int(Double(input.demands.count) / seconds))
    }

    Benchmark(
        "Placement naive scan: first 1k of those containers",
        configuration: .init(
            metrics: [.wallClock, .throughput, .custom("naive ÷ indexed time per placement", useScalingFactor: false)],
            warmupIterations: 0, scalingFactor: .kilo, maxDuration: .seconds(60), maxIterations: 3)
    ) { benchmark in
        let input = PlacementInput.shared
        let slice = Array(input.demands.prefix(1_000))
        let clock = ContinuousClock()
        let indexedStart = clock.now
        _ = try Scheduler.place(input.demands, on: input.hosts, now: input.now)
        let indexedPer = (clock.now - indexedStart) / input.demands.count
        benchmark.startMeasurement()
        let scanStart = clock.now
        let result = try Scheduler.place(slice, on: input.hosts, now: input.now, strategy: .scan)
        let scanPer = (clock.now - scanStart) / slice.count
        benchmark.stopMeasurement()
        blackHole(result)
        benchmark.measurement(.custom("naive ÷ indexed time per placement", useScalingFactor: false), Int(scanPer / indexedPer))
    }
}

/// Whole placements per second over the full run (the figure the target is stated in).
let placementsPerSecond = BenchmarkMetric.custom("placements per second", polarity: .prefersLarger, useScalingFactor: false)

/// The benchmark's fleet and containers, generated once from a fixed seed.
struct PlacementInput: Sendable {
    let hosts: [FleetHost]
    let demands: [Demand]
    let now: Date

    static let shared = PlacementInput(hostCount: 10_000, containerCount: 1_000_000, seed: 2026)

    init(hostCount: Int, containerCount: Int, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        now = Date(timeIntervalSince1970: 1_800_000_000)
        let gib: UInt64 = 1 << 30
        let sampled = now.addingTimeInterval(-120)
        hosts = (0..<hostCount).map { n in
            let vCPU = [256, 320, 384][Int(random.next() % 3)]
            return FleetHost(
                id: "h-\(100_000 + n)", region: "us-east-1", zone: "us-east-1\(["a", "b", "c"][n % 3])",
                capacity: Resources(vCPU: vCPU, memory: ByteSize(bytes: UInt64(vCPU) * 4 * gib), disk: ByteSize(bytes: 20_000 * gib)),
                metrics: HostMetrics(
                    cpuPercent: Double(5 + random.next() % 76), memoryPercent: Double(5 + random.next() % 76),
                    sampledAt: sampled))
        }
        let sizes = [(1, 2), (2, 4), (2, 8), (4, 8)].map {
            Resources(vCPU: $0.0, memory: ByteSize(bytes: UInt64($0.1) * gib), disk: ByteSize(bytes: 20 * gib))
        }
        var demands: [Demand] = []
        demands.reserveCapacity(containerCount)
        var group = 0
        while demands.count < containerCount {
            let members = min(2 + Int(random.next() % 3), containerCount - demands.count)
            let size = sizes[Int(random.next() % UInt64(sizes.count))]
            let name = "pod\(group)/app"
            for k in 1...members {
                demands.append(Demand(id: "pod\(group)/instance.app0\(k)", group: name, region: "us-east-1", size: size))
            }
            group += 1
        }
        self.demands = demands
    }
}

/// A small, fast, seedable generator (Vigna's SplitMix64).
struct SplitMix64 {
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
