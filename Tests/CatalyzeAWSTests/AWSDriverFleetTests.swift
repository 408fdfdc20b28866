import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeTestSupport
import Foundation
import Testing

@Suite struct AWSDriverFleetTests {
    @Test func listsOnlyFleetHostsWithServerCapacityAllocationAndMetrics() async throws {
        let moto = try MotoFixture()
        let m5 = try await moto.allocateHosts(region: "us-east-1", zone: "us-east-1a", family: "m5", count: 2)
        let r5 = try await moto.allocateHosts(region: "us-east-1", zone: "us-east-1b", family: "r5", count: 1)
        try await moto.allocateHosts(region: "us-east-1", zone: "us-east-1a", family: "m5", count: 1, fleet: false)
        let now = Date()
        try await moto.putHostMetrics(region: "us-east-1", host: m5[0], cpu: 12.5, memory: 40, at: now.addingTimeInterval(-600))
        try await moto.putHostMetrics(region: "us-east-1", host: m5[0], cpu: 33.0, memory: 55.5, at: now.addingTimeInterval(-120))

        // Two instances on m5[0], placed with RunInstances directly (not via the driver).
        for type in ["m5.large", "m5.2xlarge"] {
            _ = try await moto.driver.client.query(.ec2, "RunInstances", region: "us-east-1", [
                "ImageId": "ami-12c6146b", "InstanceType": type, "MinCount": "1", "MaxCount": "1",
                "Placement.HostId": m5[0], "Placement.Tenancy": "host",
            ])
        }

        let hosts = try await moto.driver.fleet(FleetRequest(region: "us-east-1")).hosts
        #expect(Set(hosts.map(\.id)) == Set(m5 + r5), "only hosts tagged catalyze:fleet")
        let busy = try #require(hosts.first { $0.id == m5[0] })
        #expect(busy.family == "m5")
        #expect(busy.capacity == Capacity(vcpu: 96, memoryMiB: 384 * 1024), "an m5 host is the whole server")
        #expect(busy.allocated == Capacity(vcpu: 2 + 8, memoryMiB: (8 + 32) * 1024))
        #expect(busy.instances.count == 2)
        #expect(busy.cpuPercent == 33.0, "newest CPU sample")
        #expect(busy.memoryPercent == 55.5)
        #expect(busy.zone == "us-east-1a")
        #expect(busy.healthy)
        let idle = try #require(hosts.first { $0.id == m5[1] })
        #expect(idle.allocated == .zero && idle.cpuPercent == nil)
        let memory = try #require(hosts.first { $0.id == r5[0] })
        #expect(memory.capacity == Capacity(vcpu: 96, memoryMiB: 768 * 1024))
        #expect(try await moto.driver.fleet(FleetRequest(region: "us-west-2")).hosts.isEmpty, "regions are apart")
    }

    @Test func familyTableCoversTheDocumentedFamilies() {
        #expect(HostFamily.known["m5"]?.capacity == Capacity(vcpu: 96, memoryMiB: 393_216))
        #expect(HostFamily.known["c5"]?.capacity == Capacity(vcpu: 72, memoryMiB: 147_456))
        #expect(HostFamily.known["m6i"]?.capacity == Capacity(vcpu: 128, memoryMiB: 524_288))
        #expect(HostFamily.known["m5"]?.instanceType(vcpu: 2, memoryMiB: 4096) == "m5.large")
        #expect(HostFamily.known["m5"]?.instanceType(vcpu: 2, memoryMiB: 16384) == "m5.xlarge")
        #expect(HostFamily.known["c5"]?.instanceType(vcpu: 20, memoryMiB: 1024) == "c5.9xlarge")
        #expect(HostFamily.known["r5"]?.instanceType(vcpu: 200, memoryMiB: 1) == nil)
        #expect(HostFamily.size(of: "r5.4xlarge") == Capacity(vcpu: 16, memoryMiB: 131_072))
        #expect(HostFamily.size(of: "t3.micro") == nil)
    }
}
