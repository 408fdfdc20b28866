import CatalyzeCore
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// `plan`/`apply --replace ADDRESS` on moto: a pod applied by the previous release (0.1.0, its hosts
/// accept the old principal form `<pod>-<container>`) and upgraded; `--replace
/// primary/instance.app01`, planned and saved, then applied from the plan file, replaces exactly
/// that instance (and its own load-balancer registration, which follows it), booting it with the
/// scoped principal only; its group mate keeps its host and old
/// form; the next plan is clean. An address the lockfile does not hold is a usage error (64) before
/// any cloud call.
@Suite(.serialized) struct ReplaceRequestTests {
    static let manifest = """
        version: 1
        pod: { name: roll, customer: Test }
        profile: dev
        regions:
          - { name: primary, provider: aws, region: us-east-1, role: primary }
        network: { cidr: 10.50.0.0/16 }
        loadBalancer:
          listeners:
            - { protocol: http, port: 80, targetPort: 8080 }
        apps:
          - { name: app, replicas: 2, size: small, image: registry.example/app:1, port: 8080 }
        logging: { enabled: false }
        monitoring: { enabled: false }
        backup: { enabled: false }
        encryption: { enabled: false }

        """

    @Test func replaceRollsExactlyTheNamedOldFormHostOntoTheScopedPrincipal() async throws {
        let previous = try UpgradeTests.previousRelease()
        let ws = try await EndToEndAWSTests.workspace(regions: ["us-east-1"])
        defer { ws.moto.stop(); ws.folder.remove() }
        try Self.manifest.write(toFile: ws.folder.path("pod.yaml"), atomically: true, encoding: .utf8)
        // 0.1.0's internet-facing balancer in a VPC without an internet gateway: only moto 5.2.1 took it.
        try await UpgradeTests.strictNetwork(ws, false)
        let old = try await runCommand(previous.binary, ["apply", "--auto-approve"], in: ws.folder.url, environment: ws.environment)
        try #require(old.status == 0, "the previous release's apply failed:\n\(old.stdout)\n\(old.stderr)")
        try await UpgradeTests.strictNetwork(ws, true)
        let steps = PlanSteps(folder: ws.folder.url, environment: ws.environment)
        try await steps.converge("the upgrade")

        let store = FileStateStore(path: ws.folder.path("catalyze.lock.json"))
        let app01 = ResourceAddress(region: "primary", kind: .instance, name: "app01")
        let app02 = ResourceAddress(region: "primary", kind: .instance, name: "app02")
        let before = try #require(try store.load())
        #expect(before.resources[app01]?.attributes["principals"] == "roll-app01", "0.1.0's form, kept by the upgrade")
        #expect(before.resources[app02]?.attributes["principals"] == "roll-app02")

        // Unknown, or not an instance: refused as a usage error naming it, nothing planned or written.
        let lockBytes = try Data(contentsOf: URL(fileURLWithPath: ws.folder.path("catalyze.lock.json")))
        let unknown = try await ws.catalyze("apply", "--auto-approve", "--replace", "primary/instance.app09")
        #expect(unknown.status == 64, "\(unknown.stdout)\n\(unknown.stderr)")
        #expect(unknown.stderr.contains("--replace primary/instance.app09: the lockfile has no such resource"), "\(unknown.stderr)")
        let balancer = try #require(before.resources.keys.first { $0.kind == .loadBalancer })
        let notInstance = try await ws.catalyze("plan", "--replace", balancer.description)
        #expect(notInstance.status == 64 && notInstance.stderr.contains("only instances are replaced on request"), "\(notInstance.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: ws.folder.path("catalyze.lock.json"))) == lockBytes)

        // The plan shows why; saved, it carries the replacement to apply.
        let shown = try await ws.catalyze("plan", "--replace", "primary/instance.app01")
        #expect(shown.status == 0 && shown.stdout.contains("replace requested"), "\(shown.stdout)\n\(shown.stderr)")
        let planned = try await ws.catalyze("plan", "--replace", "primary/instance.app01", "--json")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(planned.stdout.utf8)) as? [String: Any], "\(planned.stderr)")
        let made = (plan["changes"] as? [[String: Any]] ?? []).filter { ["replace", "create", "delete"].contains($0["action"] as? String) }
        // The instance, and its own registration with the load balancer, which follows it.
        #expect(made.map { $0["address"] as? String } == ["primary/instance.app01", "primary/lb_target.app01"], "\(made)")
        #expect(made.last?["reason"] as? String == "primary/instance.app01 is being replaced", "\(made)")
        #expect(made.first?["reason"] as? String == "replace requested", "\(made)")
        let saved = try await ws.catalyze("plan", "--replace", "primary/instance.app01", "--out", "roll.plan")
        try #require(saved.status == 0, "\(saved.stderr)")
        let fromFile = try await ws.catalyze("apply", "roll.plan")
        try #require(fromFile.status == 0, "\(fromFile.stdout)\n\(fromFile.stderr)")
        let again = try await ws.catalyze("plan", "--detailed-exitcode")
        #expect(again.status == 0, "not converged:\n\(again.stdout)\n\(again.stderr)")

        // Exactly app01 is new, with the scoped principal in the lockfile and in its boot script;
        // app02 keeps its host and the old form.
        let after = try #require(try store.load())
        #expect(after.resources[app01]?.cloudID != before.resources[app01]?.cloudID)
        #expect(after.resources[app01]?.attributes["principals"] == "roll.primary.app01")
        #expect(after.resources[app02]?.cloudID == before.resources[app02]?.cloudID)
        #expect(after.resources[app02]?.attributes["principals"] == "roll-app02")
        let target = ResourceAddress(region: "primary", kind: .lbTarget, name: "app01")
        let unchanged = before.resources.filter { ![app01, target].contains($0.key) && $0.key.deposedFrom == nil }
            .filter { after.resources[$0.key]?.cloudID != $0.value.cloudID }
        #expect(unchanged.isEmpty, "nothing else made anew: \(unchanged.keys.sorted())")
        let reply = try await EndToEndAWSTests.backupClient(ws).query(
            .ec2, "DescribeInstanceAttribute", region: "us-east-1",
            ["InstanceId": try #require(after.resources[app01]).cloudID, "Attribute": "userData"])
        let encoded = try #require(reply.string("userData", "value"))
        let script = String(decoding: try #require(Data(base64Encoded: encoded)), as: UTF8.self)
        let principals = try RevokedBeforeBootTests.files(of: script).first { $0.key.hasSuffix("/principals/support") }?.value ?? []
        let text = String(decoding: principals, as: UTF8.self)
        #expect(text.contains("roll.primary.app01") && !text.contains("roll-app01"), "\(text)")
    }
}
