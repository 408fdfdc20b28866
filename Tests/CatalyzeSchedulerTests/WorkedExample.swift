import CatalyzeCore
import CatalyzeScheduler
import Foundation

/// The fleet and containers of the man page's worked example (PLACEMENT.md), shared by several tests.
enum WorkedExample {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let fresh = now.addingTimeInterval(-60)

    static func gib(_ n: UInt64) -> ByteSize { ByteSize(bytes: n << 30) }

    static func size(_ vCPU: Int, _ memoryGiB: UInt64) -> Resources { Resources(vCPU: vCPU, memory: gib(memoryGiB)) }

    static let hosts: [FleetHost] = [
        FleetHost(
            id: "h-a", region: "us-east-1", zone: "us-east-1a", capacity: size(16, 64),
            residents: [Resident(id: "other/instance.web01", size: size(4, 16))],
            metrics: HostMetrics(cpuPercent: 40, memoryPercent: 50, sampledAt: fresh)),
        FleetHost(
            id: "h-b", region: "us-east-1", zone: "us-east-1b", capacity: size(16, 64),
            metrics: HostMetrics(cpuPercent: 70, memoryPercent: 30, sampledAt: fresh)),
        FleetHost(
            id: "h-c", region: "us-east-1", zone: "us-east-1a", capacity: size(16, 64),
            metrics: HostMetrics(cpuPercent: 10, memoryPercent: 10, sampledAt: fresh),
            health: .unhealthy("under-assessment")),
        FleetHost(
            id: "h-d", region: "us-east-1", zone: "us-east-1b", capacity: size(16, 64),
            metrics: HostMetrics(cpuPercent: 10, memoryPercent: 10, sampledAt: now.addingTimeInterval(-1_200))),
        FleetHost(
            id: "h-e", region: "us-east-1", zone: "us-east-1a", capacity: size(8, 32),
            residents: [Resident(id: "other/instance.cache01", size: size(6, 8))],
            metrics: HostMetrics(cpuPercent: 20, memoryPercent: 20, sampledAt: fresh)),
    ]

    static func app(_ n: Int) -> Demand {
        Demand(id: "primary/instance.app0\(n)", group: "acme/primary/app", region: "us-east-1", size: size(4, 16))
    }
}
