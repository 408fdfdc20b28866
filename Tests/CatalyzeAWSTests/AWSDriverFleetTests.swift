import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
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
        #expect(busy.podInstances == [], "not catalyze's: no pod or address tags")
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

    /// A host allocated for one instance type (`HostProperties.InstanceType`, no family in EC2's
    /// answer) runs only that type: the fleet reads its family from the type and its capacity and
    /// free vCPUs from DescribeHosts (`TotalVCpus`, `AvailableCapacity`: the moto extension reports
    /// them as the EC2 reference documents); a container launches as exactly that type, and one
    /// bigger than the type is refused naming the host and the type, before any launch.
    @Test func aSingleTypeHostRunsOnlyItsType() async throws {
        let moto = try MotoFixture()
        let host = try #require(try await moto.allocateHosts(region: "us-east-1", zone: "us-east-1a", instanceType: "m5.xlarge", count: 1).first)
        let network = moto.spec(.network, "main", ["cidr": "10.42.0.0/16", "subnet_cidr": "10.42.1.0/24", "zone": "us-east-1a"])
        let net = try #require(try await moto.apply(.create, network, pod: "st", token: "n"))
        let firewall = moto.spec(.firewall, "main", ["network": "primary/network.main", "ingress": ""])
        let fw = try #require(try await moto.apply(.create, firewall, pod: "st", token: "f", dependencies: [network.address: net]))
        func instance(_ name: String, vcpu: Int, memoryMiB: Int) -> ResourceSpec {
            moto.spec(.instance, name, ["role": "app", "vcpu": "\(vcpu)", "memory_mib": "\(memoryMiB)", "host": host,
                                        "zone": "us-east-1a", "network": "primary/network.main", "firewall": "primary/firewall.main",
                                        "port": "8080"])
        }
        let small = try #require(try await moto.apply(
            .create, instance("app01", vcpu: 2, memoryMiB: 4096), pod: "st", token: "i1", dependencies: [network.address: net, firewall.address: fw]))
        #expect(small.outputs["instance_type"] == "m5.xlarge", "the host's one type, not the family's smallest fit (m5.large)")
        do {
            _ = try await moto.apply(
                .create, instance("db01", vcpu: 8, memoryMiB: 32768), pod: "st", token: "i2", dependencies: [network.address: net, firewall.address: fw])
            Issue.record("a container bigger than the host's type was launched")
        } catch let error as DriverError {
            #expect("\(error)".contains("dedicated host \(host) runs only m5.xlarge"), "\(error)")
        }

        let fleet = try await moto.driver.fleet(FleetRequest(region: "us-east-1")).hosts
        let seen = try #require(fleet.first { $0.id == host })
        #expect(seen.family == "m5", "the type's family")
        #expect(seen.capacity.vcpu == 96, "TotalVCpus")
        #expect(seen.allocated.vcpu == 4 && seen.instances == [small.cloudID], "AvailableVCpus 92 of 96; the host's own Instances")
        #expect(seen.podInstances == ["st primary/instance.app01"], "tagged at launch: a fleet reservation's instance is known before its id is written")
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
