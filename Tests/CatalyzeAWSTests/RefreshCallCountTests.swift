import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeTestSupport
import Foundation
import Testing

/// Benchmark (a): API calls to refresh a pod as it grows. The count must stay flat; the numbers
/// are printed for the benchmark report.
@Suite struct RefreshCallCountTests {
    /// Grows `pod` to `total` tagged instances (bulk RunInstances, one CreateTags each for the address).
    static func grow(_ moto: MotoFixture, pod: String, from current: Int, to total: Int, host: String) async throws {
        guard total > current else { return }
        let reply = try await moto.driver.client.query(.ec2, "RunInstances", region: "us-east-1", [
            "ImageId": "ami-12c6146b", "InstanceType": "m5.large", "MinCount": String(total - current), "MaxCount": String(total - current),
            "Placement.HostId": host, "Placement.Tenancy": "host",
            "TagSpecification.1.ResourceType": "instance", "TagSpecification.1.Tag.1.Key": CatalyzeTag.pod, "TagSpecification.1.Tag.1.Value": pod,
        ])
        for (n, item) in reply.list("instancesSet").enumerated() {
            _ = try await moto.driver.client.query(.ec2, "CreateTags", region: "us-east-1", [
                "ResourceId.1": item.string("instanceId") ?? "", "Tag.1.Key": CatalyzeTag.address, "Tag.1.Value": "primary/instance.app\(current + n)",
            ])
        }
    }

    @Test func refreshCallsStayFlatFor5And50And500Resources() async throws {
        let moto = try MotoFixture()
        let host = try await moto.allocateHosts(region: "us-east-1", zone: "us-east-1a", count: 1)[0]
        let pod = "bench"
        var calls: [Int: Int] = [:]
        var current = 0
        for size in [5, 50, 500] {
            try await Self.grow(moto, pod: pod, from: current, to: size, host: host)
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
