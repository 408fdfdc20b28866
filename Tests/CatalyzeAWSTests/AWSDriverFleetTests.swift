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
        #expect(busy.cpuSource == .agent && busy.memorySource == .agent, "an agent's figures win over derived ones")
        #expect(busy.zone == "us-east-1a")
        #expect(busy.healthy)
        let idle = try #require(hosts.first { $0.id == m5[1] })
        // No agent on it and nothing running: idle by allocation, as of this reading.
        #expect(idle.allocated == .zero && idle.cpuPercent == 0 && idle.memoryPercent == 0)
        #expect(idle.cpuSource == .allocation && idle.memorySource == .allocation)
        #expect(abs((idle.sampledAt ?? .distantPast).timeIntervalSince(now)) < 60)
        let memory = try #require(hosts.first { $0.id == r5[0] })
        #expect(memory.capacity == Capacity(vcpu: 96, memoryMiB: 768 * 1024))
        #expect(try await moto.driver.fleet(FleetRequest(region: "us-west-2")).hosts.isEmpty, "regions are apart")
    }

    /// A fresh account: hosts tagged `catalyze:fleet`, no agent anywhere. CPU comes from the
    /// `AWS/EC2 CPUUtilization` EC2 publishes for every instance, weighted by vCPUs over the
    /// server's; an instance with no recent sample counts as fully busy; memory is allocation.
    @Test func withNoAgentCPUIsDerivedFromTheInstancesAndMemoryFromAllocation() async throws {
        let moto = try MotoFixture()
        let hosts = try await moto.allocateHosts(region: "us-east-1", zone: "us-east-1a", family: "m5", count: 2)
        var launched: [String: String] = [:]
        for (type, host) in [("m5.2xlarge", hosts[0]), ("m5.4xlarge", hosts[0]), ("m5.xlarge", hosts[1])] {
            let reply = try await moto.driver.client.query(.ec2, "RunInstances", region: "us-east-1", [
                "ImageId": "ami-12c6146b", "InstanceType": type, "MinCount": "1", "MaxCount": "1",
                "Placement.HostId": host, "Placement.Tenancy": "host",
            ])
            launched[type] = try #require(reply.list("instancesSet").first?.string("instanceId"))
        }
        let now = Date()
        // m5.2xlarge (8 vCPU) at 60 %, then 50 % (the newest counts); m5.4xlarge (16 vCPU) at 25 %.
        try await moto.putInstanceCPU(region: "us-east-1", instance: launched["m5.2xlarge"]!, cpu: 60, at: now.addingTimeInterval(-900))
        try await moto.putInstanceCPU(region: "us-east-1", instance: launched["m5.2xlarge"]!, cpu: 50, at: now.addingTimeInterval(-300))
        try await moto.putInstanceCPU(region: "us-east-1", instance: launched["m5.4xlarge"]!, cpu: 25, at: now.addingTimeInterval(-300))
        // m5.xlarge's only sample is 30 minutes old: it counts as busy.
        try await moto.putInstanceCPU(region: "us-east-1", instance: launched["m5.xlarge"]!, cpu: 1, at: now.addingTimeInterval(-1800))

        let fleet = try await moto.driver.fleet(FleetRequest(region: "us-east-1")).hosts
        let first = try #require(fleet.first { $0.id == hosts[0] })
        // (50 × 8 + 25 × 16) / 96 = 800 / 96
        #expect(abs((first.cpuPercent ?? -1) - 800.0 / 96) < 1e-9 && first.cpuSource == .instances)
        // (32 + 64) GiB of 384 GiB
        #expect(first.memoryPercent == 25 && first.memorySource == .allocation)
        let second = try #require(fleet.first { $0.id == hosts[1] })
        #expect(abs((second.cpuPercent ?? -1) - 100.0 * 4 / 96) < 1e-9, "no recent sample: its 4 vCPUs count as 100 % busy")
        #expect(abs((second.sampledAt ?? .distantPast).timeIntervalSince(now)) < 60, "derived figures are as of now")

        // An agent starts reporting on the first host: its figures win from then on.
        try await moto.putHostMetrics(region: "us-east-1", host: hosts[0], cpu: 12, memory: 30, at: now.addingTimeInterval(-60))
        let reported = try #require(try await moto.driver.fleet(FleetRequest(region: "us-east-1")).hosts.first { $0.id == hosts[0] })
        #expect(reported.cpuPercent == 12 && reported.memoryPercent == 30)
        #expect(reported.cpuSource == .agent && reported.memorySource == .agent)
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
