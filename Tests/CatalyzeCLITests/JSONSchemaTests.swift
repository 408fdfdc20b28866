import CatalyzeTestSupport
import Foundation
import Testing

/// The documented JSON schema (`docs/json.md`) against the binary's real output, for the commands
/// that need no cloud; the cloud commands' outputs are checked in their end-to-end tests
/// (`HostsCommandTests`, `EndToEndAWSTests.showAndOutput`, `WaitingEndToEndTests`,
/// `CredentialsEndToEndTests`).
@Suite struct JSONSchemaTests {
    static func expectConforms(_ text: String, to document: String, _ what: String) throws {
        let problems = try JSONSchemaDoc.load().check(text, against: document)
        #expect(problems.isEmpty, "\(what) differs from docs/json.md, section \(document):\n\(problems.joined(separator: "\n"))\n\(text.prefix(2000))")
    }

    @Test func thePageDescribesEveryDocumentAndTheCheckerCatchesDrift() throws {
        let schema = try JSONSchemaDoc.load()
        #expect(Set(schema.names).isSuperset(of: [
            "validate", "init", "graph", "hosts", "plan", "apply-event", "apply-summary", "exposure-summary",
            "state-list", "state-show", "output", "access-list", "access-audit", "access-audit-verify",
        ]))
        // The checker itself: an undocumented key, a number as a string and a missing key are each caught.
        let drifted = #"{"format_version": "2", "path": "pod.yaml", "profile": "dev", "provider": "aws", "extra": 1}"#
        let problems = schema.check(drifted, against: "init")
        #expect(problems.contains("format_version: string, documented as integer"), "\(problems)")
        #expect(problems.contains("extra: not in docs/json.md"))
        #expect(problems.contains("name: missing"))
    }

    @Test func validateInitAndGraphFollowTheSchema() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-json-schema")
        defer { folder.remove() }
        let environment = ["NO_COLOR": "1"]
        let initialised = try await runCommand(
            catalyzeBinary, ["init", "--json", "--profile", "dev", "--provider", "rax", "--name", "acme-json"],
            in: folder.url, environment: environment)
        try #require(initialised.status == 0, "\(initialised.stderr)")
        try Self.expectConforms(initialised.stdout, to: "init", "init --json")
        #expect(initialised.stdout.contains(#""path" : "pod.yaml""#))

        for file in ["pod.yaml", repositoryRoot.appendingPathComponent("examples/hipaa-aws.yaml").path] {
            let validated = try await runCommand(catalyzeBinary, ["validate", "--json", file], in: folder.url, environment: environment)
            try Self.expectConforms(validated.stdout, to: "validate", "validate --json \(file)")
        }
        try "version: 1\npod: { name: Bad_Name }\nbogus: true\n".write(toFile: folder.path("bad.yaml"), atomically: true, encoding: .utf8)
        let invalid = try await runCommand(catalyzeBinary, ["validate", "--json", "bad.yaml"], in: folder.url, environment: environment)
        #expect(invalid.status == 1)
        try Self.expectConforms(invalid.stdout, to: "validate", "validate --json of a bad manifest")

        let graph = try await runCommand(catalyzeBinary, ["graph", "--json"], in: folder.url, environment: environment)
        try #require(graph.status == 0, "\(graph.stderr)")
        try Self.expectConforms(graph.stdout, to: "graph", "graph --json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(graph.stdout.utf8)) as? [String: Any])
        let resources = try #require(object["resources"] as? [[String: Any]])
        let addresses = Set(resources.compactMap { $0["address"] as? String })
        #expect(resources.allSatisfy { ($0["depends_on"] as? [String] ?? []).allSatisfy(addresses.contains) }, "every dependency is a listed resource")
    }

    @Test func accessListAndAuditFollowTheSchema() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-json-access")
        defer { folder.remove() }
        let environment = ["NO_COLOR": "1", "USER": "schema-test"]
        let state = ["--state", folder.path("catalyze.lock.json"), "-f", folder.path("pod.yaml")]
        func run(_ arguments: [String]) async throws -> CommandResult {
            let result = try await runCommand(catalyzeBinary, ["access"] + arguments, in: folder.url, environment: environment)
            try #require(result.status == 0, "access \(arguments): \(result.stderr)")
            return result
        }
        _ = try await run(["ca", "init", "--out", folder.path("ca")])
        try AccessCommandTests.writeManifest(folder)
        try SSHDCommand.makeKeyPair(at: folder.path("alice"))
        _ = try await run(["grant", "--to", "alice", "--key", folder.path("alice.pub"), "--ttl", "30m", "--target", "app01",
                           "--ca", folder.path("ca"), "--reason", "ticket 1", "--source", "203.0.113.7/32"] + state)
        try Self.expectConforms(try await run(["list", "--json"] + state).stdout, to: "access-list", "access list --json")
        try Self.expectConforms(try await run(["audit", "--json"] + state).stdout, to: "access-audit", "access audit --json")
        try Self.expectConforms(
            try await run(["audit", "--verify", "--json"] + state).stdout, to: "access-audit-verify", "access audit --verify --json")
    }
}
