import CatalyzeTestSupport
import Foundation
import Testing

/// The fault proxy's holds (what the kill tests SIGKILL at): the N-th request of a set of actions
/// is kept before it reaches moto, or after (moto acted, the reply withheld), until released.
@Suite("FaultProxy: holds for kill tests")
struct FaultProxyHoldTests {
    /// Sends `action` in a task; the reply's status, or nil when the connection was reset.
    static func send(_ action: String, via proxy: FaultProxy, account: String) -> Task<Int?, Never> {
        Task { try? await FaultProxyTests.ec2(action, via: proxy, account: account).status }
    }

    /// Polls until the hold holds (bounded: 5 s).
    static func waitHeld(_ proxy: FaultProxy) async throws -> [FaultProxy.HoldState] {
        for _ in 0..<100 {
            let holds = try await proxy.holds()
            if holds.allSatisfy(\.held) { return holds }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await proxy.holds()
    }

    @Test("before: the 2nd matching request never reaches moto; release resets its connection")
    func holdsBeforeForwarding() async throws {
        let proxy = try await FaultProxy.start(upstream: try Emulators.motoURL())
        defer { proxy.stop() }
        let account = Emulators.uniqueAccountID()
        let state = try await proxy.hold([.init(actions: ["CreateVpc", "CreateSubnet*"], nth: 2, when: .before)])
        #expect(state.map(\.seen) == [0] && state.map(\.held) == [false])
        #expect(try await FaultProxyTests.ec2("DescribeRegions", via: proxy, account: account).status == 200, "other actions pass")
        let first = try await FaultProxyTests.ec2("CreateVpc", via: proxy, account: account)
        #expect(first.status != 0, "the first matching request passes")
        let second = Self.send("CreateSubnet", via: proxy, account: account)
        let held = try await Self.waitHeld(proxy)
        #expect(held.first?.held == true && held.first?.seen == 2)
        try await proxy.release()
        #expect(await second.value == nil, "the held request's connection is reset")
        let stats = try await proxy.stats()
        #expect(stats.count("CreateSubnet", "held") == 1 && stats.count("CreateSubnet", "forwarded") == 0)
        #expect(try await proxy.holds().isEmpty, "release clears the holds")
    }

    @Test("after: moto acts on the held request, the client never sees the reply")
    func holdsAfterForwarding() async throws {
        let proxy = try await FaultProxy.start(upstream: try Emulators.motoURL())
        defer { proxy.stop() }
        let account = Emulators.uniqueAccountID()
        try await proxy.hold([.init(actions: ["CreateVpc"], nth: 1, when: .after)])
        // (The helper sends `Action=…&Version=…`: the block rides along as a form parameter.)
        let made = Self.send("CreateVpc&CidrBlock=10.77.0.0%2F16", via: proxy, account: account)
        #expect(try await Self.waitHeld(proxy).first?.held == true)
        try await proxy.reset()
        #expect(await made.value == nil, "the reply was withheld, then the connection reset")
        #expect(try await FaultProxyTests.ec2("DescribeVpcs", via: proxy, account: account).text.contains("10.77.0.0/16"), "moto made the VPC")
    }
}
