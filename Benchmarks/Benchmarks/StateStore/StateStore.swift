// The lockfile at scale: save then load 100,000 resources through FileStateStore (atomic write
// with fsync + rename + folder fsync, backup link, lineage/serial check, full decode).
// Target: load + save ≤ 1 s on a 2-core machine (release build).
// (CatalyzeState comes through the CatalyzePlanner product, which bundles it.)
import Benchmark
import CatalyzeCore
import CatalyzeModel
import CatalyzeDrivers
import CatalyzeState
import Foundation

let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "Lockfile save + load: 100k resources",
        configuration: .init(
            metrics: [.wallClock, .peakMemoryResident, saveMilliseconds, loadMilliseconds],
            warmupIterations: 1, scalingFactor: .one, maxDuration: .seconds(60), maxIterations: 5)
    ) { benchmark in
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("catalyze-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = FileStateStore(path: folder.appendingPathComponent("catalyze.lock.json").path)
        let lockfile = LockfileInput.shared.lockfile
        _ = try store.save(lockfile)  // an existing lockfile, as in every apply after the first
        let clock = ContinuousClock()
        benchmark.startMeasurement()
        let saveStart = clock.now
        let saved = try store.save(Lockfile(
            lineage: lockfile.lineage, serial: 1, pod: lockfile.pod, resources: lockfile.resources, journal: lockfile.journal))
        let loadStart = clock.now
        let loaded = try store.load()
        let end = clock.now
        benchmark.stopMeasurement()
        precondition(loaded?.resources.count == 100_000 && loaded?.serial == saved.serial)
        blackHole(loaded)
        benchmark.measurement(saveMilliseconds, milliseconds(loadStart - saveStart))
        benchmark.measurement(loadMilliseconds, milliseconds(end - loadStart))
    }
}

let saveMilliseconds = BenchmarkMetric.custom("save (ms)", polarity: .prefersSmaller, useScalingFactor: false)
let loadMilliseconds = BenchmarkMetric.custom("load (ms)", polarity: .prefersSmaller, useScalingFactor: false)

func milliseconds(_ duration: Duration) -> Int {
    Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
}

/// 100,000 realistic records (instances, volumes, attachments, rules, targets), built once.
struct LockfileInput: Sendable {
    let lockfile: Lockfile

    static let shared = LockfileInput(count: 100_000)

    init(count: Int) {
        let kinds: [ResourceKind] = [.instance, .volume, .attachment, .firewallRule, .lbTarget]
        var lockfile = Lockfile.new(pod: "acme", lineage: "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b")
        lockfile.resources.reserveCapacity(count)
        for index in 0..<count {
            let kind = kinds[index % kinds.count]
            let region = index % 3 == 0 ? "dr" : "primary"
            let network = ResourceAddress(region: region, kind: .network, name: "main")
            let firewall = ResourceAddress(region: region, kind: .firewall, name: "main")
            let record = ResourceRecord(
                address: ResourceAddress(region: region, kind: kind, name: "r\(index)"), kind: kind,
                provider: index % 4 == 0 ? .rax : .aws, cloudRegion: index % 4 == 0 ? "ORD" : "us-east-1",
                cloudID: "i-\(String(index * 7919, radix: 16))",
                attributes: [
                    "role": index % 2 == 0 ? "app" : "db", "vcpu": "\(2 + index % 6)",
                    "memory_mib": "\(4096 * (1 + index % 4))", "host": "h-\(String(index % 97, radix: 16))",
                    "zone": "us-east-1a", "image": "ami-0abc\(index % 13)", "network": network.description,
                    "firewall": firewall.description, "principals": "pod-\(index),ops",
                ],
                outputs: ["private_ip": "10.\(index / 65536 % 256).\(index / 256 % 256).\(index % 256)",
                          "arn": "arn:aws:ec2:us-east-1:123456789012:instance/i-\(index)"],
                dependencies: [network, firewall], token: "tok-\(index)")
            lockfile.resources[record.address] = record
        }
        self.lockfile = lockfile
    }
}
