import CatalyzeAccess
import CatalyzeCore
import CatalyzeTestSupport
import Foundation
import Testing

/// `access expose|conceal` against moto, through the fault proxy that counts every request by
/// action: one switch is exactly one firewall-rule write and no other write, it is audited,
/// recorded in the lockfile, and the next plan is clean.
@Suite(.serialized) struct ExposureEndToEndTests {
    /// AWS actions that change something (everything else catalyze sends is a read).
    static let readPrefixes = ["Describe", "List", "Get"]

    static func writes(_ stats: FaultProxy.Stats) -> [String: Int] {
        var found: [String: Int] = [:]
        for (action, outcomes) in stats.outcomes where !readPrefixes.contains(where: { action.hasPrefix($0) }) {
            let count = outcomes.values.reduce(0, +)
            if count > 0 { found[action] = count }
        }
        return found
    }

    @Test func exposeAndConcealChangeOneRuleAndNothingElse() async throws {
        let moto = try await PrivateMoto.start()
        let proxy = try await FaultProxy.start(upstream: moto.url)
        let folder = try TemporaryDirectory(prefix: "catalyze-expose")
        defer { proxy.stop(); moto.stop(); folder.remove() }
        let seed = try await runCommand(PrivateMoto.python, [
            repositoryRoot.appendingPathComponent("scripts/seed-aws-fleet.py").path, moto.url.absoluteString, "us-east-1",
            "--hosts", "3",
        ])
        try #require(seed.status == 0, "\(seed.stderr)")
        try FileManager.default.copyItem(
            atPath: repositoryRoot.appendingPathComponent("Tests/Fixtures/pods/single-region-aws.yaml").path,
            toPath: folder.path("pod.yaml"))
        try await TLSBundle.write(in: folder, as: ["acme-prod.pem"])
        let environment = [
            "AWS_ENDPOINT_URL": proxy.url.absoluteString, "AWS_ACCESS_KEY_ID": "AKIDEXPOSE",
            "AWS_SECRET_ACCESS_KEY": "expose-secret", "NO_COLOR": "1", "USER": "support-test",
            "ACME_DB_PASSWORD": "expose-db-password",
        ]
        func catalyze(_ arguments: String...) async throws -> CommandResult {
            try await runCommand(catalyzeBinary, arguments, in: folder.url, environment: environment)
        }

        let applied = try await catalyze("apply", "--auto-approve")
        try #require(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
        let lockBefore = try String(contentsOfFile: folder.path("catalyze.lock.json"), encoding: .utf8)
        #expect(!lockBefore.contains("logging-access"), "the manifest leaves logging closed")

        try await proxy.reset()
        let exposed = try await catalyze("access", "expose", "logging", "--cidr", "198.51.100.0/24")
        try #require(exposed.status == 0, "\(exposed.stdout)\n\(exposed.stderr)")
        #expect(Self.writes(try await proxy.stats()) == ["AuthorizeSecurityGroupIngress": 1],
                "expose must be one rule change and no other write")
        let lockAfter = try String(contentsOfFile: folder.path("catalyze.lock.json"), encoding: .utf8)
        #expect(lockAfter.contains("primary/firewall_rule.logging-access"))

        let clean = try await catalyze("plan", "--detailed-exitcode")
        #expect(clean.status == 0, "the next plan is clean:\n\(clean.stdout)\n\(clean.stderr)")

        try await proxy.reset()
        let concealed = try await catalyze("access", "conceal", "logging", "--json")
        try #require(concealed.status == 0, "\(concealed.stdout)\n\(concealed.stderr)")
        #expect(Self.writes(try await proxy.stats()) == ["RevokeSecurityGroupIngress": 1])
        // --json: the rule change as apply events, then the summary (docs/json.md).
        let lines = concealed.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count >= 2, "\(concealed.stdout)")
        for line in lines.dropLast() { try JSONSchemaTests.expectConforms(line, to: "apply-event", "conceal --json event") }
        try JSONSchemaTests.expectConforms(lines.last!, to: "exposure-summary", "conceal --json summary")
        #expect(lines.last!.contains(#""exposed":false"#) && lines.last!.contains(#""rule_changes":1"#))
        #expect(try await catalyze("plan", "--detailed-exitcode").status == 0)

        let audit = AuditLog(path: AccessPaths(besideLockfile: folder.path("catalyze.lock.json")).auditLog)
        let kinds = try audit.entries().map(\.kind)
        #expect(kinds == [.expose, .conceal])
        #expect(try audit.verify(anchor: nil).problems.isEmpty)
        #expect(try await catalyze("destroy", "--auto-approve", "--force-destroy-data").status == 0)
    }
}
