import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// Steps of an end-to-end test that changes a running pod: what `plan` would do, and `apply`
/// followed by a plan that must be clean.
struct PlanSteps {
    /// The folder holding pod.yaml and the lockfile.
    let folder: URL
    /// The environment the binary runs with (credentials, endpoints).
    let environment: [String: String]

    func catalyze(_ arguments: String...) async throws -> CommandResult {
        try await runCommand(catalyzeBinary, arguments, in: folder, environment: environment)
    }

    /// The actions of `catalyze plan --json` other than `noop`, by address.
    func actions() async throws -> [String: String] {
        let plan = try await catalyze("plan", "--json")
        try #require(plan.status == 0, "plan failed:\n\(plan.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any], "\(plan.stderr)")
        var result: [String: String] = [:]
        for change in object["changes"] as? [[String: Any]] ?? [] where change["action"] as? String != "noop" {
            result[change["address"] as? String ?? "?"] = change["action"] as? String
        }
        return result
    }

    /// `apply --auto-approve` (plus `extra`, e.g. `--force-destroy-data`) must succeed and the next
    /// `plan --detailed-exitcode` be clean.
    func converge(_ step: String, extra: [String] = []) async throws {
        let applied = try await runCommand(catalyzeBinary, ["apply", "--auto-approve"] + extra, in: folder, environment: environment)
        try #require(applied.status == 0, "\(step): apply failed:\n\(applied.stdout)\n\(applied.stderr)")
        let again = try await catalyze("plan", "--detailed-exitcode")
        #expect(again.status == 0, "\(step): not converged:\n\(again.stdout)\n\(again.stderr)")
    }

    /// Runs the binary with `arguments` and sends it `signal` as soon as `ready` holds (polled every
    /// 50 ms, up to 60 s); returns how it ended: the reason, and the exit status or signal number.
    func interrupt(
        _ arguments: [String], with signal: Int32, when ready: () async throws -> Bool
    ) async throws -> (reason: Process.TerminationReason, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: catalyzeBinary)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let ended = AsyncStream<(Process.TerminationReason, Int32)> { continuation in
            process.terminationHandler = { continuation.yield(($0.terminationReason, $0.terminationStatus)); continuation.finish() }
        }
        try process.run()
        for _ in 0..<1_200 where process.isRunning {
            if try await ready() { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(process.processIdentifier, signal)
        var outcome: (reason: Process.TerminationReason, status: Int32) = (.exit, -1)
        for await (reason, status) in ended { outcome = (reason, status) }
        return outcome
    }

    /// `interrupt` with SIGKILL: no handler runs. Returns how the run ended.
    func killed(_ arguments: [String], when ready: () async throws -> Bool) async throws -> Process.TerminationReason {
        try await interrupt(arguments, with: SIGKILL, when: ready).reason
    }

    /// Applies the pod, loses its lockfile and the backup, and rebuilds it through `import`: the
    /// next plan refuses (the cloud's resources carry the lost lockfile's lineage) and names that
    /// lineage; `import --from-lineage` records every resource found by its tags (import actions,
    /// nothing made), the apply after converges, and every address comes back with the cloud id it
    /// had. `between` runs after the first apply, before the lockfile goes (to count what the cloud
    /// holds). Returns the lockfile before and after.
    func rebuildLostLockfile(between: () async throws -> Void = {}) async throws -> (before: Lockfile, after: Lockfile) {
        try await converge("first apply")
        let store = FileStateStore(path: folder.appendingPathComponent("catalyze.lock.json").path)
        let before = try #require(try store.load())
        try await between()
        for file in ["catalyze.lock.json", "catalyze.lock.json.backup"] {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(file))
        }
        let planned = try await catalyze("plan", "--detailed-exitcode")
        #expect(planned.status == 1 && planned.stderr.contains("catalyze import --from-lineage \(before.lineage)"),
                "the plan names the lost lockfile's lineage:\n\(planned.stdout)\n\(planned.stderr)")
        let imported = try await catalyze("import", "--from-lineage", before.lineage, "--auto-approve")
        #expect(imported.status == 0 && imported.stdout.contains("0 to add, 0 to change, 0 to destroy, \(before.resources.count) to import."),
                "\(imported.stdout)\n\(imported.stderr)")
        try await converge("after the import")
        let after = try #require(try store.load())
        #expect(Set(after.resources.keys) == Set(before.resources.keys))
        for (address, record) in before.resources {
            #expect(after.resources[address]?.cloudID == record.cloudID, "\(address) adopted, not made again")
        }
        return (before, after)
    }
}
