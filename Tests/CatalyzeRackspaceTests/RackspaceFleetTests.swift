import CatalyzeCore
import CatalyzeDrivers
import CatalyzeRackspace
import CatalyzeTestSupport
import Foundation
import Testing

/// The live fleet: Cloud Monitoring entities marked `catalyze:fleet`, metrics from multiplot,
/// allocation from the servers' `hostId`s.
@Suite struct RackspaceFleetTests {
    @Test func fleetListsMarkedHostsWithCapacityMetricsAndAllocation() async throws {
        let harness = try RackspaceTestHarness("fleet")
        let hostA = RackspaceTestHarness.hostID("a-\(harness.tenant)")
        let hostB = RackspaceTestHarness.hostID("b-\(harness.tenant)")
        try await harness.mimic.addFleetHost(tenant: harness.tenant, hostID: hostA, vcpu: 16, memoryMiB: 65_536)
        try await harness.mimic.addFleetHost(tenant: harness.tenant, hostID: hostB, state: "maintenance")
        try await harness.mimic.addFleetHost(tenant: harness.tenant, hostID: "dfw-host", region: "DFW")
        let driver = harness.driver()
        let server = try #require(try await harness.create(driver, harness.instance("app01", host: hostA), token: "tok-fleet"))

        let hosts = try await driver.fleet(FleetRequest(region: "ORD")).hosts
        #expect(Set(hosts.map(\.id)) == [hostA, hostB], "only ORD hosts marked catalyze:fleet")
        let a = try #require(hosts.first { $0.id == hostA })
        #expect(a.capacity == Capacity(vcpu: 16, memoryMiB: 65_536))
        #expect(a.instances == [server.cloudID])
        #expect(a.podInstances == ["\(harness.pod) primary/instance.app01"], "named by the server's metadata from the create call")
        #expect(a.allocated.vcpu == 2 && a.allocated.memoryMiB == 2048, "the 2GB flavor counts against the host")
        #expect(a.family == "general1" && a.healthy)
        let cpu = try #require(a.cpuPercent, "agent.cpu usage_average is read")
        #expect((0...100).contains(cpu))
        #expect(a.sampledAt != nil)
        #expect(hosts.first { $0.id == hostB }?.healthy == false)
    }

    @Test func fleetMetricsTakeOneMultiplotCallForAllHosts() async throws {
        let harness = try RackspaceTestHarness("multiplot")
        for n in 0..<4 { try await harness.mimic.addFleetHost(tenant: harness.tenant, hostID: RackspaceTestHarness.hostID("\(n)-\(harness.tenant)")) }
        let counter = CountingTransport(CurlTransport())
        let hosts = try await harness.driver(transport: counter).fleet(FleetRequest(region: "ORD")).hosts
        #expect(hosts.count == 4)
        #expect(counter.perKey.filter { $0.key.hasSuffix("/__experiments/multiplot") }.values.reduce(0, +) == 1)
    }

    /// Seeded through the mimic extension's control call (catalyze_monitoring_metrics.py), the
    /// values arrive exactly: CPU as reported, memory as actual_used / total.
    @Test func seededMetricsArriveExactly() async throws {
        let harness = try RackspaceTestHarness("metrics")
        let host = RackspaceTestHarness.hostID("m-\(harness.tenant)")
        try await harness.mimic.addFleetHost(tenant: harness.tenant, hostID: host, memoryMiB: 65_536, cpuPercent: 37.5, memoryPercent: 42)
        let found = try #require(try await harness.driver().fleet(FleetRequest(region: "ORD")).hosts.first)
        #expect(found.cpuPercent == 37.5)
        let memory = try #require(found.memoryPercent)
        #expect(abs(memory - 42) < 0.001)
    }

    /// An agent never reports more memory in use than the host has: such data is refused (the host
    /// reports no memory metric, so it cannot bid), however the peer came to send it.
    @Test func memoryInUseAboveTotalIsRefused() async throws {
        let harness = try RackspaceTestHarness("badmem")
        let host = RackspaceTestHarness.hostID("bad-\(harness.tenant)")
        let seeded = try await harness.mimic.addFleetHostWithChecks(tenant: harness.tenant, hostID: host, cpuPercent: 10, memoryPercent: nil)
        try await harness.mimic.seedMetrics(
            tenant: harness.tenant, entityID: seeded.entityID, checkID: try #require(seeded.checks["agent.memory"]),
            metrics: ["total": 1_000_000, "actual_used": 2_000_000])
        let found = try #require(try await harness.driver().fleet(FleetRequest(region: "ORD")).hosts.first)
        #expect(found.memoryPercent == nil, "used > total is not a utilisation")
        #expect(found.cpuPercent == 10, "the CPU reading still counts")
    }

    /// Unseeded, the mimic extension's agent.memory points are consistent snapshots (mimic alone
    /// draws each metric at random, so used > total about half the time): every read gives a
    /// memory utilisation within 0-100.
    @Test func unseededMemoryMetricsAreConsistent() async throws {
        let harness = try RackspaceTestHarness("synthmem")
        for n in 0..<4 {
            try await harness.mimic.addFleetHost(
                tenant: harness.tenant, hostID: RackspaceTestHarness.hostID("s\(n)-\(harness.tenant)"), cpuPercent: nil, memoryPercent: nil)
        }
        let driver = harness.driver()
        for _ in 0..<5 {
            let hosts = try await driver.fleet(FleetRequest(region: "ORD")).hosts
            #expect(hosts.count == 4)
            for host in hosts {
                let memory = try #require(host.memoryPercent, "\(host.id) has a memory utilisation")
                #expect((0...100).contains(memory))
            }
            try await Task.sleep(for: .milliseconds(20))  // later points: another timestamp, another snapshot
        }
    }
}
