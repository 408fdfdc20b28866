import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Foundation
import Testing

/// The driver behind `Tests/Peers/fault_proxy.py` in front of moto: throttling, 5xx and connection
/// resets (before and after the request took effect). Creates converge, with no duplicate.
@Suite(.serialized) struct AWSDriverFaultTests {
    /// Builds a small pod (network, firewall, three instances, a volume) through `moto` and
    /// returns the refreshed resources. `firstUse`: every token is new (the executor's usual case,
    /// where the driver creates without looking first); else each create looks for an earlier attempt first.
    /// `concurrentInstances`: the three instances are created at once, as apply does with parallelism.
    static func buildPod(
        _ moto: MotoFixture, pod: String, hosts: [String], firstUse: Bool, concurrentInstances: Bool = false
    ) async throws -> [LiveResource] {
        var recorded: [ResourceAddress: CloudResource] = [:]
        func create(_ spec: ResourceSpec) async throws {
            let resource: CloudResource = try #require(
                try await moto.apply(.create, spec, pod: pod, token: "\(pod)-\(spec.address.name)-1", dependencies: recorded, firstUse: firstUse))
            recorded[spec.address] = resource
        }
        try await create(moto.spec(.network, "main", ["cidr": "10.50.0.0/16", "subnet_cidr": "10.50.1.0/24", "zone": "us-east-1a"]))
        try await create(moto.spec(.firewall, "main", ["network": "primary/network.main", "ingress": "tcp/443/0.0.0.0/0"]))
        try await create(moto.spec(.key, "storage", ["alias": "catalyze/\(pod)"]))
        let instances = [hosts[0], hosts[1], hosts[0]].enumerated().map { n, host in
            moto.spec(.instance, "app0\(n + 1)", [
                "role": "app", "vcpu": "2", "memory_mib": "4096", "host": host, "zone": "us-east-1a",
                "network": "primary/network.main", "firewall": "primary/firewall.main", "principals": "app", "port": "8080",
            ])
        }
        if concurrentInstances {
            let dependencies = recorded
            try await withThrowingTaskGroup(of: (ResourceAddress, CloudResource).self) { group in
                for spec in instances {
                    group.addTask {
                        let resource: CloudResource = try #require(
                            try await moto.apply(.create, spec, pod: pod, token: "\(pod)-\(spec.address.name)-1", dependencies: dependencies, firstUse: firstUse))
                        return (spec.address, resource)
                    }
                }
                for try await (address, resource) in group { recorded[address] = resource }
            }
        } else {
            for spec in instances { try await create(spec) }
        }
        try await create(moto.spec(.volume, "data", ["size_gib": "10", "encrypted": "true", "key": "primary/key.storage", "zone": "us-east-1a"]))
        return try await moto.driver.refresh(RefreshRequest(pod: pod, region: "us-east-1")).resources
    }

    /// Instances, VPCs, groups and volumes tagged with `pod`, counted per address straight from moto.
    static func copiesPerAddress(_ direct: MotoFixture, pod: String) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        let filters = ["Filter.1.Name": "tag:\(CatalyzeTag.pod)", "Filter.1.Value.1": pod]
        let live = ["Filter.2.Name": "instance-state-name", "Filter.2.Value.1": "running", "Filter.2.Value.2": "pending"]
        let instances = try await direct.driver.client.query(.ec2, "DescribeInstances", region: "us-east-1", filters.merging(live) { a, _ in a })
        for item in instances.list("reservationSet").flatMap({ $0.list("instancesSet") }) {
            counts[item.tags[CatalyzeTag.address] ?? "?", default: 0] += 1
        }
        for (action, set) in [("DescribeVpcs", "vpcSet"), ("DescribeSecurityGroups", "securityGroupInfo"), ("DescribeVolumes", "volumeSet"), ("DescribeSubnets", "subnetSet")] {
            let reply = try await direct.driver.client.query(.ec2, action, region: "us-east-1", filters)
            for item in reply.list(set) {
                let number = item.tags["catalyze:subnet"].map { "#\($0)" } ?? ""
                counts["\(set):\(item.tags[CatalyzeTag.address] ?? "?")\(number)", default: 0] += 1
            }
        }
        return counts
    }

    func run(
        _ configuration: FaultProxy.Configuration, seed: Int, firstUse: Bool, concurrentInstances: Bool = false
    ) async throws -> (FaultProxy.Stats, [LiveResource], [String: Int]) {
        let upstream = try Emulators.motoURL()
        let proxy = try await FaultProxy.start(upstream: upstream, seed: seed)
        defer { proxy.stop() }
        let direct = try MotoFixture()
        // libcurl sees a reset that follows a forwarded request at once; the timeout (20 s: moto
        // behind the proxy took over 4 s to answer on a loaded 2-core CI run) only
        // bounds the test should one go unnoticed. Creates go on fresh connections
        // (`HTTPRequest.idempotent`): on a reused one libcurl would resend them by itself.
        let moto = try MotoFixture(endpoint: proxy.url, account: direct.account, timeout: 20)
        let hosts = try await direct.allocateHosts(region: "us-east-1", zone: "us-east-1a", family: "m5", count: 2)
        try await proxy.configure(configuration)
        let pod = "fault\(seed)\(firstUse ? "f" : "r")"
        let live = try await Self.buildPod(moto, pod: pod, hosts: hosts, firstUse: firstUse, concurrentInstances: concurrentInstances)
        let stats = try await proxy.stats()
        return (stats, live, try await Self.copiesPerAddress(direct, pod: pod))
    }

    static let creates = ["CreateVpc", "CreateSubnet", "CreateSecurityGroup", "RunInstances", "CreateVolume", "CreateKey"]

    /// The three RunInstances leave together into a bucket of one, so at least two are throttled
    /// however slow the machine is (spacing calls of one action out in time would not be enough).
    @Test func convergesUnderThrottlingWithoutDuplicates() async throws {
        let (stats, live, copies) = try await run(
            FaultProxy.Configuration(throttle: ["*": FaultProxy.Throttle(rate: 2, burst: 1)]), seed: 1, firstUse: true,
            concurrentInstances: true)
        #expect(stats.count("RunInstances", "throttled") >= 2, "three RunInstances at once into a bucket of one")
        #expect(stats.count("RunInstances", "forwarded") == 3, "each instance created exactly once")
        #expect(live.count == 7)
        #expect(copies.values.allSatisfy { $0 == 1 }, "duplicates: \(copies)")
    }

    @Test(arguments: [true, false]) func convergesUnder5xxBeforeTheCallTookEffect(firstUse: Bool) async throws {
        let (stats, live, copies) = try await run(
            FaultProxy.Configuration(errorRate: 0.4, errorStatuses: [500, 503], faultActions: Self.creates), seed: 2, firstUse: firstUse)
        let errors = Self.creates.map { stats.count($0, "error_500") + stats.count($0, "error_503") }.reduce(0, +)
        #expect(errors > 0, "the proxy must have injected 5xx")
        #expect(live.count == 7)
        #expect(copies.values.allSatisfy { $0 == 1 }, "duplicates: \(copies)")
    }

    @Test(arguments: [true, false]) func convergesWhenTheConnectionDropsAfterTheCreateTookEffect(firstUse: Bool) async throws {
        let (stats, live, copies) = try await run(
            FaultProxy.Configuration(resetAfterRate: 0.5, faultActions: Self.creates), seed: 3, firstUse: firstUse)
        let resets = Self.creates.map { stats.count($0, "reset_after_forward") }.reduce(0, +)
        #expect(resets > 0, "the proxy must have dropped answers of creates that happened")
        #expect(live.count == 7)
        #expect(copies.values.allSatisfy { $0 == 1 }, "a create that happened must be found by its catalyze:op tag, not repeated: \(copies)")
        #expect(copies.count == 7, "3 instances, VPC, subnet, group, volume: \(copies)")
    }
}
