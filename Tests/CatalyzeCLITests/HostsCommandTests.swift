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
}
