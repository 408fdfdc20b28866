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
        let counter = CountingTransport(URLSessionTransport())
        let hosts = try await harness.driver(transport: counter).fleet(FleetRequest(region: "ORD")).hosts
        #expect(hosts.count == 4)
        #expect(counter.perKey.filter { $0.key.hasSuffix("/__experiments/multiplot") }.values.reduce(0, +) == 1)
    }
}
