import CatalyzeTestSupport
import Foundation
import Testing

/// `docs/openapi.yaml` against the server: every route the server answers is there with the
/// statuses it gives, and the keys of its real answers are the schemas' (the PUT's success answer
/// is checked in `ServeEndToEndTests`, which needs a cloud). Where `openapi-spec-validator` is
/// installed, the document is also checked against the OpenAPI 3.1 specification.
@Suite struct ServeOpenAPITests {
    static let path = repositoryRoot.appendingPathComponent("docs/openapi.yaml").path
    static let validator = ["/usr/local/bin/openapi-spec-validator", "/root/.pyenv/shims/openapi-spec-validator", "/usr/bin/openapi-spec-validator"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The document as JSON (read with the peers' Python, which has PyYAML through moto).
    static func document() async throws -> [String: Any] {
        let read = try await runCommand(PrivateMoto.python, [
            "-c", "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)", path,
        ])
        try #require(read.status == 0, "\(read.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any])
    }

    /// The `required` keys of schema `name`.
    static func required(_ document: [String: Any], _ name: String) -> Set<String> {
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        return Set(((schemas?[name] as? [String: Any])?["required"] as? [String]) ?? [])
    }

    @Test func routesAndStatusesAreDocumented() async throws {
        let document = try await Self.document()
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        #expect(Set(paths.keys) == ["/v1/health", "/v1/pods/{pod}/access", "/v1/pods/{pod}/access/{service}"])
        func statuses(_ path: String, _ method: String) -> Set<String> {
            Set(((paths[path]?[method] as? [String: Any])?["responses"] as? [String: Any])?.keys.map { $0 } ?? [])
        }
        #expect(statuses("/v1/health", "get").isSuperset(of: ["200", "405"]))
        #expect(statuses("/v1/pods/{pod}/access", "get").isSuperset(of: ["200", "401", "404", "405", "429"]))
        #expect(statuses("/v1/pods/{pod}/access/{service}", "put").isSuperset(of: ["200", "400", "401", "404", "405", "409", "411", "413", "429", "502"]))
        #expect(Self.required(document, "AccessChangeResult") == [
            "format_version", "pod", "service", "enabled", "cidrs", "rule_changes", "complete", "failures", "audit_sequence",
        ])
    }

    @Test func realAnswersHaveTheDocumentedKeys() async throws {
        let document = try await Self.document()
        let folder = try TemporaryDirectory(prefix: "catalyze-openapi")
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path("pods/acme-one"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: repositoryRoot.appendingPathComponent("Tests/Fixtures/pods/single-region-aws.yaml").path,
            toPath: folder.path("pods/acme-one/pod.yaml"))
        let added = try await runCommand(catalyzeBinary, ["serve", "token", "add", "portal", "--tokens", folder.path("tokens.json")])
        try #require(added.status == 0, "\(added.stderr)")
        let token = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try StreamingCommand(
            catalyzeBinary, ["serve", "--manifests", folder.path("pods"), "--listen", "127.0.0.1:0", "--tokens", folder.path("tokens.json"),
                             "--rate-limit", "4"],
            in: folder.url, environment: [:])
        defer { server.terminate() }
        try #require(try await server.wait(upTo: .seconds(30)) { $0.contains("listening on http://127.0.0.1:") }, "\(server.stderr)")
        let base = try #require(server.stdout.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+/).map { String($0.output) })

        func keys(_ answer: ServeEndToEndTests.Answer) -> Set<String> { Set(answer.json.keys) }
        let health = try await ServeEndToEndTests.request("GET", base + "/v1/health", token: nil)
        #expect(health.status == 200 && keys(health) == ["status", "version"])
        let access = try await ServeEndToEndTests.request("GET", base + "/v1/pods/acme-one/access", token: token)
        #expect(access.status == 200 && keys(access) == Self.required(document, "PodAccess"), "\(access.body)")
        // A pod never applied: 409, nothing changed (the body is fine).
        let never = try await ServeEndToEndTests.request(
            "PUT", base + "/v1/pods/acme-one/access/logging", token: token, body: #"{"enabled":false}"#)
        #expect(never.status == 409 && never.body.contains("never applied"), "\(never.body)")
        let bad = try await ServeEndToEndTests.request("PUT", base + "/v1/pods/acme-one/access/logging", token: token, body: #"{"enabled":"yes"}"#)
        #expect(bad.status == 400 && keys(bad) == Self.required(document, "Error"), "\(bad.body)")
        let detail = bad.json["error"] as? [String: Any]
        #expect(detail?["field"] as? String == "enabled" && detail?["status"] as? Int == 400)
        // The rate limit: 4 a minute (one more every 15 s), 3 used above (health is not counted).
        var statuses: [Int] = []
        for _ in 0..<2 { statuses.append(try await ServeEndToEndTests.request("GET", base + "/v1/pods/acme-one/access", token: token).status) }
        #expect(statuses == [200, 429], "4 a minute per token")
        #expect(try await ServeEndToEndTests.request("GET", base + "/v1/pods/acme-one/nothing", token: token).status == 429)
    }

    @Test(.enabled(if: validator != nil)) func validatesAsOpenAPI31() async throws {
        let checked = try await runCommand(Self.validator!, [Self.path])
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
    }
}
