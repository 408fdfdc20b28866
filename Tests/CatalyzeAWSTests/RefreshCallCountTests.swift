import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeTestSupport
import Foundation
import Testing

/// Benchmark (a): API calls to refresh a pod as it grows. The count must stay flat; the numbers
/// are printed for the benchmark report.
@Suite struct RefreshCallCountTests {
    /// Instances of m5.large (2 vCPUs) one m5 dedicated host (96 vCPUs) holds: moto, like EC2,
    /// refuses a launch onto a host without room (Tests/Peers/run_moto.py).
    static let perHost = 48

    /// Grows `pod` to `total` tagged instances (bulk RunInstances filling `hosts` in order, one
    /// CreateTags each for the address).
    static func grow(_ moto: MotoFixture, pod: String, from current: Int, to total: Int, hosts: [String]) async throws {
        var current = current
        while total > current {
            let count = min(perHost - current % perHost, total - current)
            let reply = try await moto.driver.client.query(.ec2, "RunInstances", region: "us-east-1", [
                "ImageId": "ami-12c6146b", "InstanceType": "m5.large", "MinCount": String(count), "MaxCount": String(count),
                "Placement.HostId": hosts[current / perHost], "Placement.Tenancy": "host",
                "TagSpecification.1.ResourceType": "instance", "TagSpecification.1.Tag.1.Key": CatalyzeTag.pod, "TagSpecification.1.Tag.1.Value": pod,
            ])
            for (n, item) in reply.list("instancesSet").enumerated() {
                _ = try await moto.driver.client.query(.ec2, "CreateTags", region: "us-east-1", [
                    "ResourceId.1": item.string("instanceId") ?? "", "Tag.1.Key": CatalyzeTag.address, "Tag.1.Value": "primary/instance.app\(current + n)",
                ])
            }
            current += count
        }
    }

    @Test func refreshCallsStayFlatFor5And50And500Resources() async throws {
        let moto = try MotoFixture()
        // 500 instances of 2 vCPUs need 11 hosts of 96.
        let hosts = try await moto.allocateHosts(region: "us-east-1", zone: "us-east-1a", count: (500 + Self.perHost - 1) / Self.perHost)
            .sorted()
        let pod = "bench"
        var calls: [Int: Int] = [:]
        var current = 0
        for size in [5, 50, 500] {
            try await Self.grow(moto, pod: pod, from: current, to: size, hosts: hosts)
            current = size
            moto.counter.reset()
            let live = try await moto.driver.refresh(RefreshRequest(pod: pod, region: "us-east-1")).resources
            #expect(live.count == size)
            calls[size] = moto.counter.total
        }
        print("refresh API calls: 5 resources → \(calls[5]!), 50 → \(calls[50]!), 500 → \(calls[500]!)")
        #expect(calls[5] == calls[50] && calls[50] == calls[500], "refresh calls grew: \(calls)")
    }
}
