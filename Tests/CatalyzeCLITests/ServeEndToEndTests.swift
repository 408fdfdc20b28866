import CatalyzeAccess
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// `catalyze serve` end to end: the built binary serves the API for a pod applied on moto, through
/// the fault proxy that counts every AWS request by action. A PUT of logging exposure is exactly one
/// `AuthorizeSecurityGroupIngress` and no other write, GET shows it, a repeated PUT changes nothing,
/// a PUT while another run holds the pod's lock is 409 naming the holder, the conceal is one
/// `RevokeSecurityGroupIngress`, the next `catalyze plan` is clean, and `access history --json`
/// lists the switches with the token's name, each signed with the server's operator key. Requests without valid credentials get 401 and an
/// audit entry (never the token); a bad body 400 naming the field, an unknown pod 404, a wrong
/// method 405. The HTTP client is curl.
@Suite(.serialized) struct ServeEndToEndTests {
    struct Answer {
        var status: Int
        var body: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    }

    /// One request with curl (at most 60 s).
    static func request(_ method: String, _ url: String, token: String?, body: String? = nil) async throws -> Answer {
        var arguments = ["-sS", "--max-time", "60", "-X", method, "-o", "-", "-w", "\n%{http_code}"]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
        let result = try await runCommand("/usr/bin/curl", arguments + [url])
        try #require(result.status == 0, "curl \(method) \(url): \(result.stderr)")
        var lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let status = Int(lines.removeLast()) ?? -1
        return Answer(status: status, body: lines.joined(separator: "\n"))
    }

    /// A PUT that would open a service the pod does not run (`monitoring.enabled: false`, a dev pod)
    /// is 409 naming the manifest setting, before any lock, state or cloud is touched (the pod was
    /// never applied and no cloud is configured); closing it is not refused.
    @Test func openingAServiceThePodDoesNotDeployIs409() async throws {
        let root = try TemporaryDirectory(prefix: "catalyze-serve-off")
        defer { root.remove() }
        let podFolder = root.url.appendingPathComponent("pods/roll")
        try FileManager.default.createDirectory(at: podFolder, withIntermediateDirectories: true)
        try ReplaceRequestTests.manifest.write(to: podFolder.appendingPathComponent("pod.yaml"), atomically: true, encoding: .utf8)
        let tokens = root.path("tokens.json")
        let added = try await runCommand(catalyzeBinary, ["serve", "token", "add", "billing", "--tokens", tokens])
        try #require(added.status == 0, "\(added.stderr)")
        let token = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try StreamingCommand(
            catalyzeBinary, ["serve", "--manifests", root.path("pods"), "--listen", "127.0.0.1:0", "--tokens", tokens],
            in: root.url, environment: ["NO_COLOR": "1", "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_ACCESS_KEY_ID": "AKIDOFF",
                                        "AWS_SECRET_ACCESS_KEY": "off-secret"])
        defer { server.terminate() }
        try #require(try await server.wait(upTo: .seconds(30)) { $0.contains("listening on http://127.0.0.1:") }, "\(server.stderr)")
        let base = try #require(server.stdout.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+/).map { String($0.output) })
        let refused = try await Self.request(
            "PUT", base + "/v1/pods/roll/access/monitoring", token: token, body: #"{"enabled":true,"cidrs":["198.51.100.0/24"]}"#)
        #expect(refused.status == 409, "\(refused.body)")
        #expect(refused.body.contains("does not deploy monitoring (monitoring.enabled: false in its manifest)"), "\(refused.body)")
        #expect(!FileManager.default.fileExists(atPath: podFolder.appendingPathComponent("catalyze.lock.json").path), "nothing written")
        #expect(!FileManager.default.fileExists(atPath: podFolder.appendingPathComponent("catalyze.lock.json.lock").path), "no lock left behind")
    }

    @Test func exposeThroughTheAPIIsOneRuleChangeAndAudited() async throws {
        let moto = try await PrivateMoto.start()
        let proxy = try await FaultProxy.start(upstream: moto.url)
        let root = try TemporaryDirectory(prefix: "catalyze-serve")
        defer { proxy.stop(); moto.stop(); root.remove() }
        let seed = try await runCommand(PrivateMoto.python, [
            repositoryRoot.appendingPathComponent("scripts/seed-aws-fleet.py").path, moto.url.absoluteString, "us-east-1",
            "--hosts", "3",
        ])
        try #require(seed.status == 0, "\(seed.stderr)")
        // The manifests folder: pods/acme-one/pod.yaml, with its certificate and (after apply) its lockfile.
        let podFolder = root.url.appendingPathComponent("pods/acme-one")
        try FileManager.default.createDirectory(at: podFolder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: repositoryRoot.appendingPathComponent("Tests/Fixtures/pods/single-region-aws.yaml").path,
            toPath: podFolder.appendingPathComponent("pod.yaml").path)
        // The operator key signs the API's audit entries, as it signs `access expose`'s.
        let manifestPath = podFolder.appendingPathComponent("pod.yaml").path
        let manifest = try String(contentsOfFile: manifestPath, encoding: .utf8)
        try #require(manifest.contains("\naccess:\n"))
        try manifest.replacingOccurrences(of: "\naccess:\n", with: "\naccess:\n  operatorPublicKey: file:operator.pub\n")
            .write(toFile: manifestPath, atomically: true, encoding: .utf8)
        let operatorKey = try await runCommand(catalyzeBinary, ["access", "ca", "init", "--out", "operator"], in: podFolder)
        try #require(operatorKey.status == 0, "\(operatorKey.stderr)")
        try await TLSBundle.write(in: root, as: ["acme-prod.pem"])
        try FileManager.default.moveItem(atPath: root.path("certs"), toPath: podFolder.appendingPathComponent("certs").path)
        let environment = [
            "AWS_ENDPOINT_URL": proxy.url.absoluteString, "AWS_ACCESS_KEY_ID": "AKIDSERVE",
            "AWS_SECRET_ACCESS_KEY": "serve-secret", "NO_COLOR": "1", "USER": "serve-test",
            "ACME_DB_PASSWORD": "serve-db-password",
            "CATALYZE_OPERATOR_KEY": podFolder.appendingPathComponent("operator").path,
        ]
        let pod = PlanSteps(folder: podFolder, environment: environment)
        let applied = try await pod.catalyze("apply", "--auto-approve")
        try #require(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")

        let tokens = root.path("tokens.json")
        let added = try await runCommand(catalyzeBinary, ["serve", "token", "add", "billing", "--tokens", tokens])
        try #require(added.status == 0, "\(added.stderr)")
        let token = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("catalyze_"))
        #expect(try !String(contentsOfFile: tokens, encoding: .utf8).contains(token), "the token file holds hashes only")

        let server = try StreamingCommand(
            catalyzeBinary, ["serve", "--manifests", root.path("pods"), "--listen", "127.0.0.1:0", "--tokens", tokens],
            in: root.url, environment: environment)
        defer { server.terminate() }
        try #require(try await server.wait(upTo: .seconds(30)) { $0.contains("listening on http://127.0.0.1:") }, "\(server.stderr)")
        let base = try #require(server.stdout.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+/).map { String($0.output) })
        let access = base + "/v1/pods/acme-one/access"

        #expect(try await Self.request("GET", base + "/v1/health", token: nil).status == 200)
        // Credentials: none, or a wrong one → 401 with an audit entry that never holds the token.
        #expect(try await Self.request("GET", access, token: nil).status == 401)
        let wrong = try await Self.request("GET", access, token: "catalyze_" + String(repeating: "0", count: 64))
        #expect(wrong.status == 401, "\(wrong.body)")
        let denials = try AuditLog(path: root.path("catalyze.serve.audit.jsonl")).entries()
        #expect(denials.map(\.kind) == [.apiDenied, .apiDenied])
        #expect(denials.map { $0.details["reason"] } == ["no bearer token", "unknown or revoked token"])
        #expect(denials.allSatisfy { $0.details["path"] == "/v1/pods/acme-one/access" })
        // Malformed body → 400 naming the field; unknown pod → 404; wrong method → 405.
        let bad = try await Self.request("PUT", access + "/logging", token: token, body: #"{"enabled":true,"cidrs":["198.51.100.0/33"]}"#)
        #expect(bad.status == 400 && (bad.json["error"] as? [String: Any])?["field"] as? String == "cidrs[0]", "\(bad.body)")
        #expect(try await Self.request("GET", base + "/v1/pods/nobody/access", token: token).status == 404)
        #expect(try await Self.request("PUT", base + "/v1/pods/acme-one/access/billing", token: token, body: "{}").status == 404)
        let post = try await Self.request("POST", access, token: token, body: "{}")
        #expect(post.status == 405, "\(post.body)")

        let before = try await Self.request("GET", access, token: token)
        #expect(before.status == 200 && (before.json["logging"] as? [String: Any])?["enabled"] as? Bool == false, "\(before.body)")

        // Expose: exactly one firewall-rule write.
        try await proxy.reset()
        let exposed = try await Self.request("PUT", access + "/logging", token: token, body: #"{"enabled":true,"cidrs":["198.51.100.0/24"]}"#)
        try #require(exposed.status == 200, "\(exposed.body)\n\(server.stderr)")
        #expect(ExposureEndToEndTests.writes(try await proxy.stats()) == ["AuthorizeSecurityGroupIngress": 1])
        #expect((exposed.json["rule_changes"] as? [String])?.count == 1)
        #expect(Set(exposed.json.keys) == ServeOpenAPITests.required(try await ServeOpenAPITests.document(), "AccessChangeResult"),
                "the answer has docs/openapi.yaml's keys: \(exposed.body)")
        let shown = try await Self.request("GET", access, token: token)
        let logging = shown.json["logging"] as? [String: Any]
        #expect(logging?["enabled"] as? Bool == true && logging?["cidrs"] as? [String] == ["198.51.100.0/24"], "\(shown.body)")

        // The same PUT again: nothing to change, no write.
        try await proxy.reset()
        let again = try await Self.request("PUT", access + "/logging", token: token, body: #"{"enabled":true,"cidrs":["198.51.100.0/24"]}"#)
        #expect(again.status == 200 && (again.json["rule_changes"] as? [String]) == [], "\(again.body)")
        #expect(ExposureEndToEndTests.writes(try await proxy.stats()).isEmpty)

        // While another run (an apply) holds the pod's lock: 409 naming the holder, nothing changed.
        let store = FileStateStore(path: podFolder.appendingPathComponent("catalyze.lock.json").path)
        let held = try store.lock(
            LockRequest(id: "held-by-test", pid: getpid(), host: ProcessInfo.processInfo.hostName, user: "deployer",
                        command: "catalyze apply", createdAt: Date()), timeout: .zero)
        try await proxy.reset()
        let busy = try await Self.request("PUT", access + "/logging", token: token, body: #"{"enabled":false}"#)
        try held.release()
        #expect(busy.status == 409, "\(busy.body)")
        #expect(busy.body.contains("deployer@") && busy.body.contains("catalyze apply"), "\(busy.body)")
        #expect(ExposureEndToEndTests.writes(try await proxy.stats()).isEmpty)

        // Conceal: exactly one revoke; the next plan is clean.
        try await proxy.reset()
        let concealed = try await Self.request("PUT", access + "/logging", token: token, body: #"{"enabled":false}"#)
        try #require(concealed.status == 200, "\(concealed.body)")
        #expect(ExposureEndToEndTests.writes(try await proxy.stats()) == ["RevokeSecurityGroupIngress": 1])
        let clean = try await pod.catalyze("plan", "--detailed-exitcode")
        #expect(clean.status == 0, "the next plan is clean:\n\(clean.stdout)\n\(clean.stderr)")

        // The billing record: both switches (and the repeat), by the token's name.
        let history = try await pod.catalyze("access", "history", "--json")
        try #require(history.status == 0, "\(history.stderr)")
        try JSONSchemaTests.expectConforms(history.stdout, to: "access-history", "access history --json")
        let events = (try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any])?["events"] as? [[String: Any]] ?? []
        #expect(events.map { $0["action"] as? String } == ["expose", "expose", "conceal"])
        #expect(events.allSatisfy { $0["actor"] as? String == "catalyze serve token billing" && $0["service"] as? String == "logging" })
        #expect(events.first?["cidrs"] as? [String] == ["198.51.100.0/24"])
        #expect(events.map { ($0["rule_changes"] as? [String])?.count } == [1, 0, 1])
        #expect(events.allSatisfy { $0["signed"] as? Bool == true }, "signed with the server's operator key")
        let verified = try await pod.catalyze("access", "audit", "--verify")
        #expect(verified.status == 0 && verified.stdout.contains("3 signed"), "\(verified.stdout)\n\(verified.stderr)")

        // A revoked token is refused at once, with no restart.
        #expect(try await runCommand(catalyzeBinary, ["serve", "token", "revoke", "billing", "--tokens", tokens]).status == 0)
        #expect(try await Self.request("GET", access, token: token).status == 401)

        server.terminate()
        #expect(try await server.finish(upTo: .seconds(20)) == 0, "SIGTERM ends it cleanly")
        for text in [server.stdout, server.stderr] {
            #expect(!text.contains(token) && !text.contains("serve-secret"), "no secret in the server's output")
        }
        #expect(try await pod.catalyze("destroy", "--auto-approve", "--force-destroy-data").status == 0)
    }
}
