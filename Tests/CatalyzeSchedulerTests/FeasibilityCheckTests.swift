import CatalyzeCore
import Foundation
import Testing
@testable import CatalyzeScheduler

/// Each checker on its own: the host it turns down and the reason it records.
@Suite struct FeasibilityCheckTests {
    let example = WorkedExample.self

    func verdict(_ host: FleetHost, _ demand: Demand, policy: PlacementPolicy = .standard) -> Rejection? {
        var run = try! PlacementRun(demands: [demand], hosts: [host], policy: policy, now: example.now)
        run.settleExisting([:], replacing: [])
        let (region, zones) = run.place(of: 0)
        return run.rejection(of: 0, demand: 0, need: Need(demand.size), region: region, zones: zones)
    }

    var host: FleetHost { example.hosts[1] }

    @Test func regionAndZones() {
        var demand = example.app(1)
        demand.region = "us-west-2"
        #expect(verdict(host, demand) == .wrongRegion(host: "us-east-1", wanted: "us-west-2"))
        demand = example.app(1)
        demand.zones = ["us-east-1c", "us-east-1a"]
        #expect(verdict(host, demand) == .wrongZone(host: "us-east-1b", wanted: ["us-east-1a", "us-east-1c"]))
        #expect(verdict(host, demand)?.description == "region: host is in zone us-east-1b, container wants us-east-1a or us-east-1c")
        demand.zones.append("us-east-1b")
        #expect(verdict(host, demand) == nil)
    }

    @Test func healthAndEmptyCapacity() {
        var sick = host
        sick.health = .unhealthy("permanent-failure")
        #expect(verdict(sick, example.app(1)) == .unhealthy("permanent-failure"))
        var empty = host
        empty.capacity.vCPU = 0
        #expect(verdict(empty, example.app(1))?.checker == "health")
    }

    @Test func metricsMissingStaleOrNonsense() {
        var probe = host
        probe.metrics = nil
        #expect(verdict(probe, example.app(1)) == .noMetrics)
        probe.metrics = HostMetrics(cpuPercent: 140, memoryPercent: 10, sampledAt: example.fresh)
        #expect(verdict(probe, example.app(1)) == .invalidMetrics(cpuPercent: 140, memoryPercent: 10))
        probe.metrics = HostMetrics(cpuPercent: 10, memoryPercent: 10, sampledAt: example.now.addingTimeInterval(-601))
        #expect(verdict(probe, example.app(1)) == .staleMetrics(age: TimeSpan(seconds: 601), maximum: TimeSpan(seconds: 600)))
        probe.metrics = HostMetrics(cpuPercent: 10, memoryPercent: 10, sampledAt: example.now.addingTimeInterval(-600))
        #expect(verdict(probe, example.app(1)) == nil)
        probe.metrics = HostMetrics(cpuPercent: 10, memoryPercent: 10, sampledAt: example.now.addingTimeInterval(30))
        #expect(verdict(probe, example.app(1)) == nil)
    }

    @Test func capacityPerResource() {
        var demand = example.app(1)
        demand.size = example.size(17, 1)
        #expect(verdict(host, demand) == .insufficient(resource: "vCPU", needed: "17", free: "16"))
        demand.size = example.size(1, 65)
        #expect(verdict(host, demand) == .insufficient(resource: "memory", needed: "65GiB", free: "64GiB"))
        demand.size = Resources(vCPU: 1, memory: example.gib(1), disk: example.gib(1))
        #expect(verdict(host, demand) == .insufficient(resource: "disk", needed: "1GiB", free: "0B"))
        demand.size = example.size(16, 64)
        #expect(verdict(host, demand) == nil)
    }

    /// A single-type host (an AWS Dedicated Host allocated for one instance type) runs nothing
    /// bigger than that type, however much of it is free; a container that fits the type does.
    @Test func aSingleTypeHostRunsNothingBiggerThanItsType() {
        var single = host
        single.largestInstance = example.size(4, 16)
        var demand = example.app(1)
        demand.size = example.size(8, 8)
        #expect(verdict(single, demand) == .largerThanHostRuns(vCPU: 4, memory: "16GiB"))
        #expect(verdict(single, demand)?.description == "capacity: runs only instances of 4 vCPU, 16GiB (one instance type)")
        demand.size = example.size(2, 32)
        #expect(verdict(single, demand)?.checker == "capacity")
        demand.size = example.size(4, 16)
        #expect(verdict(single, demand) == nil)
        // The same container on the whole host: no limit but the free capacity.
        demand.size = example.size(8, 8)
        #expect(verdict(host, demand) == nil)
    }

    @Test func minimumsAfterPlacement() {
        #expect(verdict(host, example.app(1), policy: PlacementPolicy(minimums: PlacementMinimums(cpuHeadroomPercent: 31)))
            == .belowMinimum(name: "cpuHeadroomPercent", value: 30, minimum: 31))
        // 90 % CPU exactly leaves 10 % headroom: allowed by the default minimum of 10.
        var busy = host
        busy.metrics?.cpuPercent = 90
        #expect(verdict(busy, example.app(1)) == nil)
        busy.metrics?.cpuPercent = 90.5
        #expect(verdict(busy, example.app(1)) == .belowMinimum(name: "cpuHeadroomPercent", value: 9.5, minimum: 10))
        let tight = PlacementPolicy(minimums: PlacementMinimums(freeVCPUPercent: 80))
        #expect(verdict(host, example.app(1), policy: tight) == .belowMinimum(name: "freeVcpuPercent", value: 75, minimum: 80))
        let memory = PlacementPolicy(minimums: PlacementMinimums(freeMemoryPercent: 75))
        #expect(verdict(host, example.app(1), policy: memory) == nil)
    }
}
