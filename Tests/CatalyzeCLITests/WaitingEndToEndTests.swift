import CatalyzeCore
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// Waiting, as a user sees it from the binary: a cloud endpoint that never answers fails within
/// the documented bound and without burning CPU; a long action prints `still creating…` lines in a
/// log (not only on a terminal), and none in `--json`.
@Suite struct WaitingEndToEndTests {
    /// A folder with examples/hipaa-aws.yaml as pod.yaml, every AWS call sent to `endpoint`.
    static func silentWorkspace(_ endpoint: URL) throws -> (TemporaryDirectory, [String: String]) {
        let folder = try TemporaryDirectory(prefix: "catalyze-silent")
        try FileManager.default.copyItem(
            atPath: repositoryRoot.appendingPathComponent("examples/hipaa-aws.yaml").path, toPath: folder.path("pod.yaml"))
        let environment = [
            "AWS_ENDPOINT_URL": endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "AKIDSILENT", "AWS_SECRET_ACCESS_KEY": "silent-secret",
            "AWS_PROFILE": "", "AWS_SESSION_TOKEN": "", "AWS_ROLE_ARN": "", "AWS_WEB_IDENTITY_TOKEN_FILE": "", "NO_COLOR": "1",
            "CATALYZE_REQUEST_TIMEOUT": "", "CATALYZE_CONNECT_TIMEOUT": "",
        ]
        return (folder, environment)
    }

    /// `hosts` against a port that accepts and never answers: with `--request-timeout 2s` it fails
    /// after the request and its one retry (≈ 4 s; bound 2 × 2 s + a backoff of at most 0.2 s, with
    /// slack for a loaded machine), saying which endpoint and which timeout, and uses well under a
    /// second of CPU while it waits (URLSession on Linux spun ~85 % of a core for 300 s here).
    @Test func aSilentEndpointFailsWithinTheRequestTimeoutWithoutBurningCPU() async throws {
        let silent = try SilentListener()
        defer { silent.stop() }
        let (folder, environment) = try Self.silentWorkspace(silent.url)
        defer { folder.remove() }
        let usage = folder.path("usage.txt")
        let started = Date()
        let run = try await runCommand(
            "/usr/bin/time", ["-f", "%e %U %S", "-o", usage, catalyzeBinary, "hosts", "--request-timeout", "2s"],
            in: folder.url, environment: environment)
        let wall = Date().timeIntervalSince(started)
        #expect(run.status == 1, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("no answer from \(silent.url.absoluteString) within 2s"), "\(run.stderr)")
        #expect(run.stderr.contains("--request-timeout") && run.stderr.contains("CATALYZE_REQUEST_TIMEOUT"))
        #expect(!run.stderr.contains("NSURLErrorDomain") && !run.stderr.contains("silent-secret"))
        // GNU time's last line (a `Command exited with non-zero status 1` line comes first).
        let report = try String(contentsOfFile: usage, encoding: .utf8).split(separator: "\n").last ?? ""
        let times = report.split(separator: " ").compactMap { Double($0) }
        try #require(times.count == 3, "GNU time wrote: \(times)")
        // The process's own elapsed time (GNU time's), not the test's: with every suite starting at
        // once, merely spawning the binary took 25 s of this test's clock on a loaded 2-core run.
        #expect(times[0] >= 3.5 && times[0] < 20, "two attempts of 2 s each, then the error: took \(times[0])s (\(wall)s with the spawn)")
        #expect(times[1] + times[2] < 1.0, "CPU while waiting: user \(times[1])s + system \(times[2])s over \(times[0])s")
    }

    /// The environment sets the timeout when no flag does; a bad value is refused, naming its source.
    @Test func theRequestTimeoutComesFromTheEnvironmentAndBadValuesAreNamed() async throws {
        let silent = try SilentListener()
        defer { silent.stop() }
        let (folder, base) = try Self.silentWorkspace(silent.url)
        var environment = base
        defer { folder.remove() }
        environment["CATALYZE_REQUEST_TIMEOUT"] = "1s"
        let fromEnvironment = try await runCommand(catalyzeBinary, ["hosts"], in: folder.url, environment: environment)
        #expect(fromEnvironment.status == 1)
        #expect(fromEnvironment.stderr.contains("within 1s"), "\(fromEnvironment.stderr)")

        environment["CATALYZE_REQUEST_TIMEOUT"] = "soon"
        let badVariable = try await runCommand(catalyzeBinary, ["hosts"], in: folder.url, environment: environment)
        #expect(badVariable.status == 1)
        #expect(badVariable.stderr.contains("CATALYZE_REQUEST_TIMEOUT 'soon' is not a duration"), "\(badVariable.stderr)")

        let badFlag = try await runCommand(catalyzeBinary, ["hosts", "--connect-timeout", "0s"], in: folder.url, environment: environment)
        #expect(badFlag.status == 64, "a usage error")
        #expect(badFlag.stderr.contains("--connect-timeout '0s' is not a duration of at least one second"), "\(badFlag.stderr)")
    }

    /// An apply on Rackspace while mimic holds db01 in BUILD (mimic's `build` creation behaviour):
    /// with `CATALYZE_PROGRESS_INTERVAL=1s` and standard output a pipe (as in CI), `still creating…
    /// (Ns elapsed)` lines come for db01 at whole intervals until it is made; `destroy --json` prints
    /// only JSON events, whose numbers are numbers and whose summary agrees with them. Runs without
    /// OS_REGION_NAME, which catalyze does not need (each call names the manifest's region).
    @Test func aLongCreatePrintsStillCreatingLinesInALog() async throws {
        let ws = try await EndToEndRackspaceTests.workspace(example: "dev-rax.yaml")
        defer { ws.stop() }
        let mimic = try RackspaceMimic()
        let slow = try await mimic.addCreationBehavior(tenant: ws.tenant, nameRegex: ".*-db01$", name: "build", parameters: ["duration": 300])
        var environment = ws.environment
        environment["CATALYZE_PROGRESS_INTERVAL"] = "1s"
        environment["OS_REGION_NAME"] = ""
        let apply = try StreamingCommand(catalyzeBinary, ["apply", "--auto-approve"], in: ws.folder.url, environment: environment)
        let reminded = try await apply.wait(upTo: .seconds(90)) { $0.contains("primary/instance.db01: still creating… (2s elapsed)") }
        #expect(reminded, "reminders while db01 builds:\n\(apply.stdout)\n\(apply.stderr)")

        // The build ends (for this tenant only), as it would in the cloud.
        let session = try await MimicSession.authenticate(tenantID: ws.tenant)
        let servers = try session.endpoint(name: "cloudServersOpenStack", region: "ORD").appendingPathComponent("servers/detail")
        let listed = try await session.send("GET", servers).json()["servers"] as? [[String: Any]] ?? []
        let db01 = try #require(listed.first { ($0["name"] as? String ?? "").hasSuffix("-db01") }?["id"] as? String)
        try await mimic.setServerStatus(tenant: ws.tenant, serverID: db01, status: "ACTIVE")
        try await mimic.removeCreationBehavior(tenant: ws.tenant, id: slow)
        let status = try await apply.finish(upTo: .seconds(120))
        #expect(status == 0, "apply finished:\n\(apply.stdout)\n\(apply.stderr)")

        let reminders = apply.stdout.split(separator: "\n").filter { $0.contains("db01: still creating…") }
        let seconds = reminders.compactMap { line -> Int? in
            guard let open = line.range(of: "("), let end = line.range(of: "s elapsed)") else { return nil }
            return Int(line[open.upperBound..<end.lowerBound])
        }
        #expect(seconds.count == reminders.count && seconds.count >= 2)
        #expect(seconds == Array(1...max(1, seconds.count)), "one line per whole interval: \(seconds)")
        #expect(apply.stdout.contains("primary/instance.db01: created"))

        let destroy = try await runCommand(
            catalyzeBinary, ["destroy", "--auto-approve", "--force-destroy-data", "--json"], in: ws.folder.url, environment: environment)
        #expect(destroy.status == 0, "\(destroy.stderr)")
        #expect(!destroy.stdout.contains("still"))
        let lines = destroy.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(lines.count == destroy.stdout.split(separator: "\n").count, "every line is a JSON object:\n\(destroy.stdout)")
        #expect(lines.allSatisfy { $0["format_version"] is Int })
        let finished = lines.filter { $0["type"] as? String == "finished" }
        #expect(!finished.isEmpty && finished.allSatisfy { $0["seconds"] is Double || $0["seconds"] is Int })
        let texts = destroy.stdout.split(separator: "\n").map(String.init)
        for text in texts.dropLast() { try JSONSchemaTests.expectConforms(text, to: "apply-event", "destroy --json event") }
        try JSONSchemaTests.expectConforms(texts.last ?? "", to: "apply-summary", "destroy --json summary")
        let summary = try #require(lines.last)
        #expect(summary["type"] as? String == "summary" && summary["complete"] as? Bool == true)
        #expect(summary["succeeded"] as? Int == finished.count && summary["failed"] as? Int == 0)
        #expect(summary["destroyed"] as? Int == finished.filter { $0["operation"] as? String == "delete" }.count)
    }
}

/// `access push-krl` to a host that accepts the TCP connection and never speaks SSH: the push
/// fails for that host after `--connect-timeout` (ssh's ConnectTimeout covers the handshake), not
/// after the system's TCP timeout, and says so.
@Suite struct PushTimeoutEndToEndTests {
    @Test func aSilentHostFailsThePushWithinItsConnectTimeout() async throws {
        let silent = try SilentListener()
        defer { silent.stop() }
        let folder = try TemporaryDirectory(prefix: "catalyze-push-timeout")
        defer { folder.remove() }
        let environment = ["NO_COLOR": "1", "HOME": folder.url.path]
        let ca = try await runCommand(catalyzeBinary, ["access", "ca", "init", "--out", folder.path("ca")], in: folder.url, environment: environment)
        try #require(ca.status == 0, "\(ca.stderr)")
        // A pod that trusts the CA, and one grant (a push needs the grants registry).
        try AccessCommandTests.writeManifest(folder)
        try SSHDCommand.makeKeyPair(at: folder.path("alice"))
        let state = ["--state", folder.path("catalyze.lock.json"), "-f", folder.path("pod.yaml")]
        let grant = try await runCommand(catalyzeBinary, [
            "access", "grant", "--to", "alice", "--key", folder.path("alice.pub"), "--ttl", "30m", "--target", "app01",
            "--ca", folder.path("ca"), "--reason", "timeout test",
        ] + state, in: folder.url, environment: environment)
        try #require(grant.status == 0, "\(grant.stderr)")
        // A host key vouched for (the silent host never gets as far as showing one).
        let key = try String(contentsOfFile: folder.path("alice.pub"), encoding: .utf8)
        try "[127.0.0.1]:\(silent.port) \(key)".write(toFile: folder.path("known_hosts"), atomically: true, encoding: .utf8)
        let started = Date()
        let push = try await runCommand(catalyzeBinary, [
            "access", "push-krl", "--ca", folder.path("ca"), "--container", "app01",
            "--host", "127.0.0.1:\(silent.port)", "--connect-timeout", "2", "--known-hosts", folder.path("known_hosts"),
        ] + state, in: folder.url, environment: environment)
        let wall = Date().timeIntervalSince(started)
        #expect(push.status == 1, "\(push.stdout)\n\(push.stderr)")
        #expect(push.stderr.contains("✗ 127.0.0.1:\(silent.port):") && push.stderr.lowercased().contains("timed out"), "\(push.stderr)")
        #expect(push.stdout.contains("pushed to 0 of 1 host"))
        #expect(wall < 15, "bounded by the 2 s connect timeout, not TCP's: \(wall)s")
    }
}
