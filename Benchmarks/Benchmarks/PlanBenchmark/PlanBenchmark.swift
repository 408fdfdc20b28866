// `plan` of a pod whose lockfile holds 10,000 resources, nothing to change, no network: the
// planner's diff of desired × lockfile × live. Target: ≤ 1 s on a 2-core machine.
import Benchmark
import CatalyzeCore
import CatalyzeModel
import CatalyzeDrivers
import CatalyzePlanner
import CatalyzeState
import Foundation

/// 10,000 resources in one region: per "container" an instance, a volume and an attachment,
/// plus load-balancer targets, all recorded and all live, exactly as desired.
struct PlanInputFixture: @unchecked Sendable {
    let input: PlanInput

    static let shared = PlanInputFixture()

    init() {
        var specs: [ResourceSpec] = []
        func add(_ kind: ResourceKind, _ name: String, _ attributes: [String: String]) {
            specs.append(ResourceSpec(
                address: ResourceAddress(region: "primary", kind: kind, name: name), kind: kind, provider: .aws,
                cloudRegion: "us-east-1", attributes: attributes))
        }
        add(.network, "main", ["cidr": "10.40.0.0/16", "subnet_cidr": "10.40.1.0/24", "zone": "us-east-1a"])
        add(.firewall, "main", ["network": "primary/network.main", "ingress": "tcp/443/0.0.0.0/0"])
        add(.key, "storage", ["alias": "catalyze/bench/primary"])
        var n = 0
        while specs.count < 10_000 {
            n += 1
            let name = "c\(n)"
            add(.instance, name, [
                "role": "app", "vcpu": "2", "memory_mib": "4096", "host": "h-\(n % 997)", "zone": "us-east-1a",
                "image": "", "container_image": "registry/app:1", "network": "primary/network.main",
                "firewall": "primary/firewall.main", "ssh_ca": "", "principals": "bench-\(name)", "port": "8080",
            ])
            add(.volume, name, ["size_gib": "100", "encrypted": "true", "key": "primary/key.storage", "zone": "us-east-1a"])
            add(.attachment, name, ["volume": "primary/volume.\(name)", "instance": "primary/instance.\(name)", "device": "/dev/sdf"])
        }
        var lockfile = Lockfile.new(pod: "bench", lineage: "00000000-0000-0000-0000-000000000000")
        lockfile.serial = 42
        var live: [LiveResource] = []
        for spec in specs {
            let record = ResourceRecord(
                spec: spec, resource: CloudResource(cloudID: "id-\(spec.address)"), token: "cz-\(spec.address)")
            lockfile.resources[spec.address] = record
            live.append(LiveResource(
                address: spec.address, kind: spec.kind, resource: record.cloudResource, operationToken: record.token, lineage: lockfile.lineage))
        }
        input = PlanInput(
            pod: "bench", desired: specs, lockfile: lockfile, live: live, newLineage: "unused",
            regions: ["primary": RegionTarget(provider: .aws, cloudRegion: "us-east-1")])
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "Plan: 10,000 recorded resources, no changes, no network",
        configuration: .init(metrics: [.wallClock, .peakMemoryResident], warmupIterations: 1, maxDuration: .seconds(30), maxIterations: 10)
    ) { benchmark in
        let input = PlanInputFixture.shared.input
        benchmark.startMeasurement()
        let plan = Planner.plan(input)
        benchmark.stopMeasurement()
        precondition(plan.isEmpty && plan.changes.count == input.desired.count)
        blackHole(plan)
    }
}
