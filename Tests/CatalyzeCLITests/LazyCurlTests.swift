import CatalyzeTestSupport
import Foundation
import Testing

/// libcurl is opened on the first HTTP request, not at start-up (CCatalyzeCurl.c): a command that
/// makes no request never loads it or the ~30 libraries it needs, which was most of `validate`'s
/// start-up time. The dynamic loader's own log (`LD_DEBUG=libs`) says what each run loaded.
@Suite struct LazyCurlTests {
    @Test func validateNeverLoadsLibcurl() async throws {
        let manifest = repositoryRoot.appendingPathComponent("examples/hipaa-aws.yaml").path
        let run = try await runCommand(catalyzeBinary, ["validate", manifest], environment: ["LD_DEBUG": "libs"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr.suffix(2000))")
        #expect(run.stderr.contains("calling init:"), "the loader's log is there: \(run.stderr.prefix(500))")
        #expect(!run.stderr.contains("libcurl"), "validate loaded libcurl")
    }

    /// The first request loads it: `hosts` against a closed port fails as a transport error (no
    /// cloud needed), after the loader opened libcurl.
    @Test func theFirstRequestLoadsLibcurl() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-lazy-curl")
        defer { folder.remove() }
        try FileManager.default.copyItem(
            atPath: repositoryRoot.appendingPathComponent("examples/hipaa-aws.yaml").path, toPath: folder.path("pod.yaml"))
        let closed = try SilentListener()
        let port = closed.port
        closed.stop()
        let run = try await runCommand(
            catalyzeBinary, ["hosts", "--connect-timeout", "2s"], in: folder.url,
            environment: [
                "LD_DEBUG": "libs", "AWS_ENDPOINT_URL": "http://127.0.0.1:\(port)", "AWS_ACCESS_KEY_ID": "AKIDLAZY",
                "AWS_SECRET_ACCESS_KEY": "lazy-secret", "AWS_PROFILE": "", "AWS_SESSION_TOKEN": "", "AWS_ROLE_ARN": "",
                "AWS_WEB_IDENTITY_TOKEN_FILE": "",
            ])
        #expect(run.status == 1)
        #expect(run.stderr.contains("libcurl"), "the request loaded libcurl")
        #expect(!run.stderr.contains("lazy-secret"))
    }
}
