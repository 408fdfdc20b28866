import CatalyzeTestSupport
import Foundation
import Testing

/// The fault proxy in front of the running moto: throttling, injected errors, resets, stats.
@Suite("FaultProxy: fault injection in front of moto")
struct FaultProxyTests {
    /// An EC2 Query call; moto routes by the SigV4 credential scope and does not check the signature.
    static func ec2(_ action: String, via proxy: FaultProxy, account: String) async throws -> EmulatorReply {
        let scope = "AKIDEXAMPLE/20261125/us-east-1/ec2/aws4_request"
        return try await EmulatorHTTP.send(
            "POST", proxy.url,
            headers: [
                "Authorization": "AWS4-HMAC-SHA256 Credential=\(scope), SignedHeaders=host;x-amz-date, Signature=0",
                "X-Amz-Date": "20261125T000000Z",
                "Content-Type": "application/x-www-form-urlencoded",
                Emulators.motoAccountHeader: account,
            ],
            body: Data("Action=\(action)&Version=2016-11-15".utf8))
    }

    @Test("a token bucket with burst 2 and no refill lets two calls through, then answers RequestLimitExceeded (503)")
    func throttles() async throws {
        let proxy = try await FaultProxy.start(upstream: try Emulators.motoURL())
        defer { proxy.stop() }
        try await proxy.configure(.init(throttle: ["DescribeRegions": .init(rate: 0, burst: 2)]))
        let account = Emulators.uniqueAccountID()
        var statuses: [Int] = []
        for _ in 0..<3 { statuses.append(try await Self.ec2("DescribeRegions", via: proxy, account: account).status) }
        let other = try await Self.ec2("DescribeAvailabilityZones", via: proxy, account: account)
        let throttled = try await Self.ec2("DescribeRegions", via: proxy, account: account)

        #expect(statuses == [200, 200, 503], "EC2 sends RequestLimitExceeded with HTTP 503")
        #expect(other.status == 200, "other actions have their own bucket")
        #expect(throttled.text.contains("<Code>RequestLimitExceeded</Code>"))
        #expect(throttled.text.contains("<RequestID>"))
        let stats = try await proxy.stats()
        #expect(stats.total == 5)
        #expect(stats.count("DescribeRegions", "forwarded") == 2)
        #expect(stats.count("DescribeRegions", "throttled") == 2)
        #expect(stats.upstreamStatuses["DescribeRegions"] == ["200": 2])
        #expect(stats.count("DescribeAvailabilityZones", "forwarded") == 1)

        try await proxy.configure(.init(throttleStatus: 400))
        let asClientError = try await Self.ec2("DescribeRegions", via: proxy, account: account)
        #expect(asClientError.status == 400)
        #expect(asClientError.text.contains("<Code>RequestLimitExceeded</Code>"))
    }

    @Test("injected 503s carry EC2's Unavailable code; resets reach the client as transport errors")
    func injectsErrorsAndResets() async throws {
        let proxy = try await FaultProxy.start(upstream: try Emulators.motoURL())
        defer { proxy.stop() }
        let account = Emulators.uniqueAccountID()
        try await proxy.configure(.init(errorRate: 1, errorStatuses: [503]))
        let unavailable = try await Self.ec2("DescribeRegions", via: proxy, account: account)
        #expect(unavailable.status == 503)
        #expect(unavailable.text.contains("<Code>Unavailable</Code>"))

        try await proxy.configure(.init(errorRate: 0, resetRate: 1))
        await #expect(throws: (any Error).self) {
            _ = try await Self.ec2("DescribeRegions", via: proxy, account: account)
        }
        let stats = try await proxy.stats()
        #expect(stats.count("DescribeRegions", "error_503") == 1)
        #expect(stats.count("DescribeRegions", "reset") == 1)
        #expect(stats.count("DescribeRegions", "forwarded") == 0)

        try await proxy.reset()
        #expect(try await Self.ec2("DescribeRegions", via: proxy, account: account).status == 200)
        #expect(try await proxy.stats().total == 1)
    }

    @Test("the same seed gives the same fates, call for call")
    func deterministic() async throws {
        let faults = FaultProxy.Configuration(errorRate: 0.5)
        var runs: [[Int]] = []
        for _ in 0..<2 {
            let proxy = try await FaultProxy.start(upstream: try Emulators.motoURL(), seed: 42, configuration: faults)
            defer { proxy.stop() }
            let account = Emulators.uniqueAccountID()
            var statuses: [Int] = []
            for _ in 0..<10 { statuses.append(try await Self.ec2("DescribeRegions", via: proxy, account: account).status) }
            runs.append(statuses)
        }
        #expect(runs[0] == runs[1])
        #expect(runs[0].contains(200) && runs[0].contains { $0 >= 500 }, "a 0.5 rate over 10 calls mixes both")
    }
}
