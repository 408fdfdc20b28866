import CatalyzeTestSupport
import Foundation
import Testing

/// The README's first command, `scripts/demo.sh`, run as a user runs it (with the binary this test
/// run built, since `swift test` holds the build lock): every step of the AWS, Rackspace and
/// cross-cloud pods must work, so a change that breaks the main job fails the tests, not the first
/// user. The script starts its own emulators (env file in a temporary folder, logs in
/// `.emulators/demo-test/`, so a demo a developer runs meanwhile is not stopped) and stops them on
/// exit.
@Suite struct DemoScriptTests {
    @Test func theDemoRunsToTheEnd() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-demo-test")
        defer { folder.remove() }
        let run = try await runCommand(
            "/usr/bin/timeout", ["600", "bash", repositoryRoot.appendingPathComponent("scripts/demo.sh").path],
            in: repositoryRoot, environment: [
                "CATALYZE_DEMO_BINARY": catalyzeBinary, "CATALYZE_DEMO_ENV": folder.path("demo-test.env"), "NO_COLOR": "1",
            ])
        #expect(run.status == 0, "demo failed:\n\(run.stdout.suffix(6000))\n\(run.stderr.suffix(4000))")
        #expect(run.stdout.contains("Demo complete"))
        // Each pod's destroy left nothing, and no secret reached the output (the script checks both
        // and exits 1 otherwise; these lines say it got that far).
        #expect(run.stdout.contains("none in the output of hosts, plan, apply, plan, destroy"))
    }
}
