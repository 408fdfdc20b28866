import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// A create-before-destroy rollout SIGKILLed at each request boundary of its first member, between
/// making the new member and deleting the old one: examples/hipaa-aws.yaml in one region of moto,
/// three hosts (room for each new app member), a new image each round. The fault proxy holds the
/// n-th of the member's calls (RunInstances of the new instance, RegisterTargets of its target,
/// DeregisterTargets and TerminateInstances of the old ones), the binary dies there, and the next
/// `apply` (straight to moto) must finish the rollout: one instance and one target per address in
/// the cloud (no duplicate, no orphan), no deposed record left, the plan after it clean.
@Suite(.serialized) struct RollingReplacementKillTests {
    static let calls = ["RunInstances", "RegisterTargets", "DeregisterTargets", "TerminateInstances"]

    @Test func aRolloutKilledBetweenCreateNewAndDeleteOldResumes() async throws {
        let ws = try await EndToEndAWSTests.workspace(regions: ["us-east-1"])
        defer { ws.moto.stop(); ws.folder.remove() }
        let proxy = try await FaultProxy.start(upstream: ws.moto.url)
        defer { proxy.stop() }
        var proxied = ws.environment
        proxied["AWS_ENDPOINT_URL"] = proxy.url.absoluteString
        let direct = PlanSteps(folder: ws.folder.url, environment: ws.environment)
        let throughProxy = PlanSteps(folder: ws.folder.url, environment: proxied)
        let manifest = ws.folder.path("pod.yaml")
        let store = FileStateStore(path: ws.folder.path("catalyze.lock.json"))
        try String(contentsOf: repositoryRoot.appendingPathComponent("Tests/Fixtures/pods/single-region-aws.yaml"), encoding: .utf8)
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        try await direct.converge("first apply")
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        let image = try #require(text.range(of: #"web:[0-9.]+"#, options: .regularExpression).map { String(text[$0]) })

        let boundaries: [(Int, FaultProxy.HoldPoint)] = [(1, .before), (2, .before), (3, .before), (4, .before), (4, .after)]
        for (round, (n, when)) in boundaries.enumerated() {
            let label = "round \(round + 1): killed \(when.rawValue) \(Self.calls[n - 1]) of app01's create-before-destroy"
            try text.replacingOccurrences(of: image, with: "web:9.\(round).0").write(toFile: manifest, atomically: true, encoding: .utf8)
            let before = try #require(try store.load())
            try await proxy.hold([FaultProxy.Hold(actions: Self.calls, nth: n, when: when)])
            var reached: [FaultProxy.HoldState] = []
            let reason = try await throughProxy.killed(["apply", "--auto-approve"]) {
                reached = try await proxy.holds()
                return reached.allSatisfy { $0.held }
            }
            #expect(reason == .uncaughtSignal && reached.allSatisfy { $0.held }, "\(label): killed at the hold: \(reached)")
            try await proxy.release()
            try await Task.sleep(for: .milliseconds(500))
            let killed = try #require(try store.load(), "\(label): the lockfile is whole")
            let old = try RollingReplacementAWSTests.instanceID(before, "primary", "app01")
            // The old member is recorded, at its address or deposed, until it is deleted.
            #expect(killed.resources.values.contains { $0.cloudID == old }, "\(label): old app01 recorded")

            try await direct.converge("\(label), resumed")
            let after = try #require(try store.load())
            #expect(!after.resources.keys.contains { $0.name.contains("~") } && after.journal.isEmpty, "\(label): nothing deposed or pending")
            let live = try await EndToEndAWSTests.liveResources(ws, pod: "acme-one", regions: ["us-east-1"])
            let counts = Dictionary(live.map { ($0.address, 1) }, uniquingKeysWith: +)
            #expect(counts.values.allSatisfy { $0 == 1 }, "\(label): one cloud resource per address: \(counts.filter { $0.value > 1 })")
            for name in ["app01", "app02"] {
                for kind in [ResourceKind.instance, .lbTarget] {
                    let address = RollingReplacementAWSTests.address("primary", kind, name)
                    #expect(live.first { $0.address == address }?.resource.cloudID == after.resources[address]?.cloudID, "\(label): \(address) as recorded")
                }
                #expect(try RollingReplacementAWSTests.instanceID(after, "primary", name) != RollingReplacementAWSTests.instanceID(before, "primary", name),
                        "\(label): \(name) replaced")
            }
        }
    }
}
