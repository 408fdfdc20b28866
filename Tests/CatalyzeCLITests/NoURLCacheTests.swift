import CatalyzeTestSupport
import Foundation
import Testing

/// The binary keeps no URL cache: a run that talks HTTP writes nothing under `$HOME/.cache`.
@Suite struct NoURLCacheTests {
    /// `hosts` with an AWS endpoint that refuses connections (port 9, discard, closed here): the
    /// binary builds its URLSession and sends requests, then fails; nothing needs a peer.
    @Test func anHTTPRunWritesNoCacheFolder() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-nocache")
        defer { folder.remove() }
        let home = folder.path("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("examples/hipaa-aws.yaml"), to: folder.url.appendingPathComponent("pod.yaml"))
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CACHE_HOME"] = nil
        environment["HOME"] = home
        environment["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE"
        environment["AWS_SECRET_ACCESS_KEY"] = "not-a-secret"
        environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9"
        environment["AWS_PROFILE"] = nil
        let result = try await runCommandWithExactEnvironment(["hosts"], in: folder.url, environment: environment)
        #expect(result.status == 1)
        #expect(result.stderr.contains("127.0.0.1:9"), "the run reached HTTP: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home + "/.cache"), "the binary wrote \(home)/.cache")
    }

    /// `runCommand` merges the caller's environment into this process's; here XDG_CACHE_HOME must be
    /// absent, so the child gets exactly `environment`.
    private func runCommandWithExactEnvironment(
        _ arguments: [String], in directory: URL, environment: [String: String]
    ) async throws -> CommandResult {
        let assignments = environment.map { "\($0.key)=\($0.value)" }
        return try await runCommand("/usr/bin/env", ["-i"] + assignments + [catalyzeBinary] + arguments, in: directory)
    }
}
