import CatalyzeCore
import CatalyzeTestSupport
import Foundation
import Testing

/// `catalyze hosts` against a private moto whose fleet has one host with old metrics: it marks that
/// host ineligible with the words `plan --explain` uses, and prints its age as plan does.
@Suite struct HostsCommandTests {
    @Test func aHostWithStaleMetricsIsIneligibleInHostsAsInPlan() async throws {
        let moto = try await PrivateMoto.start()
        defer { moto.stop() }
        // Four hosts in each region, the last (by id) reporting 30 minutes ago; maxMetricAge is 10m.
        let seed = try await runCommand(PrivateMoto.python, [
            repositoryRoot.appendingPathComponent("scripts/seed-aws-fleet.py").path, moto.url.absoluteString,
            "us-east-1", "us-west-2", "--hosts", "4", "--stale", "1", "--stale-age", "1800",
        ])
        try #require(seed.status == 0, "seeding failed: \(seed.stderr)")
        let stale = Set(seed.stdout.split(separator: "\n").filter { $0.hasSuffix(" stale") }.map { String($0.split(separator: " ")[2]) })
        try #require(stale.count == 2, "one stale host per region: \(seed.stdout)")
        let folder = try TemporaryDirectory(prefix: "catalyze-hosts")
        defer { folder.remove() }
        try FileManager.default.copyItem(
            atPath: repositoryRoot.appendingPathComponent("examples/hipaa-aws.yaml").path, toPath: folder.path("pod.yaml"))
        try await TLSBundle.write(in: folder, as: ["acme-prod.pem", "acme-dr.pem"])
        let environment = [
            "AWS_ENDPOINT_URL": moto.url.absoluteString, "AWS_ACCESS_KEY_ID": "AKIDHOSTS", "AWS_SECRET_ACCESS_KEY": "hosts-secret",
            "AWS_PROFILE": "", "AWS_SESSION_TOKEN": "", "AWS_ROLE_ARN": "", "AWS_WEB_IDENTITY_TOKEN_FILE": "", "NO_COLOR": "1",
            "ACME_DB_PASSWORD": "hosts-db-password",  // plan checks every reference a change needs
        ]

        let listed = try await runCommand(catalyzeBinary, ["hosts", "--json"], in: folder.url, environment: environment)
        try #require(listed.status == 0, "\(listed.stderr)")
        try JSONSchemaTests.expectConforms(listed.stdout, to: "hosts", "hosts --json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
        let hosts = try #require(object["hosts"] as? [[String: Any]])
        #expect(hosts.count == 8)
        for host in hosts {
            let id = host["id"] as? String ?? "?"
            let age = try #require(host["metric_age_seconds"] as? Int, "\(id) has an age")
            if stale.contains(id) {
                #expect(host["eligible"] as? Bool == false)
                #expect(age >= 1800 && age < 1900)
                // The age in plan --explain's words: one formatter (TimeSpan), e.g. `31m` or `30m5s`.
                #expect(host["ineligible_reason"] as? String == "metrics: \(TimeSpan(seconds: age)) old, older than maxMetricAge 10m")
            } else {
                #expect(host["eligible"] as? Bool == true && host["ineligible_reason"] == nil, "\(id)")
                #expect(age < 600)
            }
        }

        // The table says the same, with the age as plan --explain prints ages (30m…, not seconds).
        let table = try await runCommand(catalyzeBinary, ["hosts"], in: folder.url, environment: environment)
        try #require(table.status == 0, "\(table.stderr)")
        let plan = try await runCommand(catalyzeBinary, ["plan", "--explain"], in: folder.url, environment: environment)
        try #require(plan.status == 0, "\(plan.stderr)")
        for id in stale {
            let row = try #require(table.stdout.split(separator: "\n").first { $0.contains(id) }, "\(table.stdout)")
            let pattern = #/ (3\dm(\d+s)?) .* ineligible: metrics: (3\dm(\d+s)?) old, older than maxMetricAge 10m/#
            #expect(row.contains(pattern), "the AGE column and the reason, as TimeSpans: \(row)")
            let explained = plan.stdout.split(separator: "\n").filter { $0.contains(id) }
            #expect(!explained.isEmpty && explained.allSatisfy { $0.contains(#/ 3\dm(\d+s)? .* filtered: metrics: 3\dm(\d+s)? old, older than maxMetricAge 10m/#) },
                    "plan --explain filters \(id) the same way:\n\(explained.joined(separator: "\n"))")
        }
    }

    /// A fresh account (issue 16): a tagged fleet and no agent on any host. `hosts` derives the
    /// figures and says so, `plan --explain` marks them, the pod applies, and afterwards CPU comes
    /// from its instances (EC2 publishes `AWS/EC2 CPUUtilization` for every instance; moto has none
    /// yet, so each counts as fully busy) while a second plan is clean.
    @Test func aFleetWithNoAgentPlansAndApplies() async throws {
        let moto = try await PrivateMoto.start()
        defer { moto.stop() }
        let seed = try await runCommand(PrivateMoto.python, [
            repositoryRoot.appendingPathComponent("scripts/seed-aws-fleet.py").path, moto.url.absoluteString,
            "us-east-1", "us-west-2", "--hosts", "3", "--no-metrics",
        ])
        try #require(seed.status == 0, "seeding failed: \(seed.stderr)")
        let folder = try TemporaryDirectory(prefix: "catalyze-no-agent")
        defer { folder.remove() }
        try FileManager.default.copyItem(
            atPath: repositoryRoot.appendingPathComponent("examples/hipaa-aws.yaml").path, toPath: folder.path("pod.yaml"))
        try await TLSBundle.write(in: folder, as: ["acme-prod.pem", "acme-dr.pem"])
        let environment = [
            "AWS_ENDPOINT_URL": moto.url.absoluteString, "AWS_ACCESS_KEY_ID": "AKIDNOAGENT", "AWS_SECRET_ACCESS_KEY": "no-agent-secret",
            "AWS_PROFILE": "", "AWS_SESSION_TOKEN": "", "AWS_ROLE_ARN": "", "AWS_WEB_IDENTITY_TOKEN_FILE": "", "NO_COLOR": "1",
            "ACME_DB_PASSWORD": "no-agent-db-password",
        ]
        func hosts() async throws -> [[String: Any]] {
            let listed = try await runCommand(catalyzeBinary, ["hosts", "--json"], in: folder.url, environment: environment)
            try #require(listed.status == 0, "\(listed.stderr)")
            try JSONSchemaTests.expectConforms(listed.stdout, to: "hosts", "hosts --json")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
            return try #require(object["hosts"] as? [[String: Any]])
        }
        let before = try await hosts()
        #expect(before.count == 6)
        for host in before {
            #expect(host["cpu_percent"] as? Double == 0 && host["memory_percent"] as? Double == 0, "\(host)")
            #expect(host["cpu_source"] as? String == "allocation" && host["memory_source"] as? String == "allocation")
            #expect(host["eligible"] as? Bool == true)
        }

        let plan = try await runCommand(catalyzeBinary, ["plan", "--explain"], in: folder.url, environment: environment)
        try #require(plan.status == 0, "\(plan.stdout)\n\(plan.stderr)")
        #expect(plan.stdout.contains(" 0.0a  0.0a "), "derived figures carry their letter:\n\(plan.stdout.prefix(3000))")
        #expect(plan.stdout.contains("CPU% and MEM% marked with a letter were derived, not reported by an agent on the host: a = from allocation"))

        let apply = try await runCommand(catalyzeBinary, ["apply", "--auto-approve"], in: folder.url, environment: environment)
        try #require(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")

        let after = try await hosts()
        let busy = after.filter { !($0["instances"] as? [Any] ?? []).isEmpty }
        #expect(!busy.isEmpty)
        for host in busy {
            // Each instance without a sample counts as fully busy: CPU% = its vCPUs over the server's.
            #expect(host["cpu_source"] as? String == "instances" && host["memory_source"] as? String == "allocation", "\(host)")
            let vcpu = try #require(host["vcpu"] as? Int), allocated = try #require(host["vcpu_allocated"] as? Int)
            let cpu = try #require(host["cpu_percent"] as? Double)
            #expect(abs(cpu - 100 * Double(allocated) / Double(vcpu)) < 1e-6, "\(host)")
        }
        let table = try await runCommand(catalyzeBinary, ["hosts"], in: folder.url, environment: environment)
        #expect(table.stdout.contains(" instances/allocation "), "\(table.stdout)")

        let again = try await runCommand(catalyzeBinary, ["plan", "--detailed-exitcode"], in: folder.url, environment: environment)
        #expect(again.status == 0, "a second plan is clean:\n\(again.stdout)\n\(again.stderr)")
    }
}
