import CatalyzeAccess
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeExecutor
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// "One pod, one owner" through the binary, the same steps on every cloud: two folders whose
/// manifests name the same pod. `first` has applied; `second` is a copy of its folder without the
/// lockfile. `snapshot` is what the cloud holds as text (every resource with its cloud id and
/// catalyze tags, and raw counts read past the driver), compared before and after each refusal.
struct LineageSteps {
    let first: PlanSteps
    let second: PlanSteps
    let pod: String
    /// The cloud's driver, for the lease another apply would hold and for stripping lineage tags.
    let driver: CloudDriver
    let snapshot: () async throws -> String

    static let lockfileName = "catalyze.lock.json"

    /// A copy of `folder` (manifest, certificates, …) without its lockfile and access files.
    static func copy(of folder: URL) throws -> TemporaryDirectory {
        let copy = try TemporaryDirectory(prefix: "catalyze-e2e-second")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path)
        where !name.hasPrefix("catalyze.") && !name.hasSuffix(".plan") {
            try FileManager.default.copyItem(at: folder.appendingPathComponent(name), to: copy.url.appendingPathComponent(name))
        }
        return copy
    }

    func lockfile(_ steps: PlanSteps) throws -> Lockfile? {
        try FileStateStore(path: steps.folder.appendingPathComponent(Self.lockfileName).path).load()
    }

    /// The second folder's plan, apply and destroy stop before any change, exit 1 and name the pod,
    /// the first folder's lineage and a resource with its region and cloud id; the cloud is unchanged.
    func secondFolderIsRefused(region: String) async throws {
        let owner = try #require(try lockfile(first))
        let before = try await snapshot()
        let network = try #require(owner.sortedRecords.first { $0.kind == .network })
        for command in [["plan"], ["apply", "--auto-approve"], ["destroy", "--auto-approve"]] {
            let run = try await runCommand(catalyzeBinary, command, in: second.folder, environment: second.environment)
            #expect(run.status == 1, "\(command): exit 1:\n\(run.stdout)\n\(run.stderr)")
            #expect(run.stderr.contains("pod '\(pod)'") && run.stderr.contains(owner.lineage), "\(command) names pod and lineage: \(run.stderr)")
            #expect(run.stderr.contains("\(network.address) (\(region), \(network.cloudID))"), "\(command) names where: \(run.stderr)")
            #expect(run.stderr.contains("catalyze import --from-lineage \(owner.lineage)"), "\(command) says how to take over")
            #expect(!run.stdout.contains("to add"), "\(command) proposed nothing: \(run.stdout)")
        }
        #expect(try lockfile(second) == nil, "no lockfile written by a refused run")
        #expect(try await snapshot() == before, "nothing in the cloud changed")
    }

    /// A running apply of the first folder holds its lease in the cloud: with one resource's lineage
    /// tag stripped (so its plan has one `retag`), its apply runs with `slowEnvironment` (every call
    /// slowed); once its firewall shows the lease it is stopped (SIGSTOP, a hung apply), and the
    /// second folder's import is refused naming that apply's pid; continued, the apply finishes and
    /// removes its lease. `leaseSeen` reads the lease as the cloud holds it, past the slowing.
    func runningApplyHoldsItsLease(slowEnvironment: [String: String], leaseSeen: () async throws -> Bool) async throws {
        let owner = try #require(try lockfile(first))
        let volume = try #require(owner.sortedRecords.first { $0.kind == .volume })
        _ = try await driver.tag(TagRequest(
            pod: pod, region: volume.cloudRegion, address: volume.address, kind: volume.kind, resource: volume.cloudResource,
            set: [:], remove: [CatalyzeTag.lineage]))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: catalyzeBinary)
        process.arguments = ["apply", "--auto-approve"]
        process.currentDirectoryURL = first.folder
        process.environment = ProcessInfo.processInfo.environment.merging(slowEnvironment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let ended = AsyncStream<Int32> { continuation in
            process.terminationHandler = { continuation.yield($0.terminationStatus); continuation.finish() }
        }
        try process.run()
        var seen = false
        for _ in 0..<600 where process.isRunning {  // 50 ms apart: 30 s at most
            if try await leaseSeen() { seen = true; break }
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(process.processIdentifier, SIGSTOP)
        defer { kill(process.processIdentifier, SIGCONT) }
        #expect(seen, "the running apply's lease is visible in the cloud")
        let refused = try await second.catalyze("import", "--from-lineage", owner.lineage, "--auto-approve")
        #expect(refused.status == 1 && refused.stderr.contains("pid \(process.processIdentifier)") && refused.stderr.contains("lease"),
                "refused while that apply runs:\n\(refused.stdout)\n\(refused.stderr)")
        kill(process.processIdentifier, SIGCONT)
        var status: Int32 = -1
        for await code in ended { status = code }
        #expect(status == 0, "the apply finishes once continued")
        #expect(try await !leaseSeen(), "its lease is removed at the end")
        let clean = try await first.catalyze("plan", "--detailed-exitcode")
        #expect(clean.status == 0, "the stripped tag was put back:\n\(clean.stdout)\n\(clean.stderr)")
    }

    /// While the first lineage's apply lease is fresh (written by `ApplyLease`, as a running apply
    /// writes it), `import --from-lineage` is refused naming the holder; once removed, the import
    /// shows `import` actions only, re-tags in place (same cloud ids, nothing made or deleted),
    /// audits it, the second folder's next plan is clean and the first folder's plan is refused.
    func importTakesOver() async throws {
        let owner = try #require(try lockfile(first))
        let lease = ApplyLease(drivers: [driver.provider: driver], lockfile: owner, holder: "ci@elsewhere pid 4242", clock: SystemClock())
        let regions = Set(owner.resources.values.filter { $0.kind == .firewall }.map(\.address.region))
        #expect(await lease.write() == regions.count, "the lease is on one firewall of every region")
        let before = try await snapshot()
        let refused = try await second.catalyze("import", "--from-lineage", owner.lineage, "--auto-approve")
        #expect(refused.status == 1 && refused.stderr.contains("ci@elsewhere pid 4242") && refused.stderr.contains("lease"),
                "refused while the lease is fresh:\n\(refused.stdout)\n\(refused.stderr)")
        #expect(try await snapshot() == before, "a refused import changes nothing")
        await lease.remove()

        let imported = try await second.catalyze("import", "--from-lineage", owner.lineage, "--auto-approve")
        #expect(imported.status == 0, "\(imported.stdout)\n\(imported.stderr)")
        #expect(imported.stdout.contains("0 to add, 0 to change, 0 to destroy, \(owner.resources.count) to import."), "\(imported.stdout)")
        #expect(imported.stdout.contains("<= ") && !imported.stdout.contains("  + "), "import actions, never add: \(imported.stdout)")
        let taken = try #require(try lockfile(second))
        #expect(taken.lineage != owner.lineage)
        #expect(Set(taken.resources.keys) == Set(owner.resources.keys))
        for (address, record) in owner.resources {
            #expect(taken.resources[address]?.cloudID == record.cloudID, "\(address) taken over in place, not made again")
        }
        let entries = try AuditLog(path: AccessPaths(besideLockfile: second.folder.appendingPathComponent(Self.lockfileName).path).auditLog).entries()
        let entry = try #require(entries.last)
        #expect(entry.kind == .importResources && entry.details["from_lineage"] == owner.lineage
            && entry.details["into_lineage"] == taken.lineage && entry.details["complete"] == "true", "\(entries)")

        let clean = try await second.catalyze("plan", "--detailed-exitcode")
        #expect(clean.status == 0, "the importing folder's next plan is clean:\n\(clean.stdout)\n\(clean.stderr)")
        let formerOwner = try await first.catalyze("plan")
        #expect(formerOwner.status == 1 && formerOwner.stderr.contains(taken.lineage),
                "the first folder's resources now belong to the second's lineage: \(formerOwner.stderr)")
    }

    /// An older pod: every lineage tag stripped through the cloud API (as a 0.1.0 apply left them).
    /// The next plan re-tags exactly the recorded resources (`retag`, shown as its own action), the
    /// apply does it in place, and the plan after is clean with every resource of this lineage.
    static func backTagging(_ steps: PlanSteps, driver: CloudDriver, pod: String, region: String) async throws {
        let lockfile = try #require(try FileStateStore(path: steps.folder.appendingPathComponent(lockfileName).path).load())
        for record in lockfile.sortedRecords {
            _ = try await driver.tag(TagRequest(
                pod: pod, region: record.cloudRegion, address: record.address, kind: record.kind, resource: record.cloudResource,
                set: [:], remove: [CatalyzeTag.lineage]))
        }
        let stripped = try await driver.refresh(RefreshRequest(pod: pod, region: region)).resources
        #expect(!stripped.isEmpty && stripped.allSatisfy { $0.lineage == nil }, "no lineage tag left: \(stripped.filter { $0.lineage != nil }.map(\.address))")

        let actions = try await steps.actions()
        #expect(!actions.isEmpty && actions.values.allSatisfy { $0 == "retag" }, "only re-tags: \(actions)")
        #expect(Set(actions.keys).isSubset(of: Set(lockfile.resources.keys.map(\.description))))
        let shown = try await steps.catalyze("plan")
        #expect(shown.stdout.contains("# ") && shown.stdout.contains("\(actions.count) to tag."), "\(shown.stdout)")
        try await steps.converge("back-tagging")
        let after = try #require(try FileStateStore(path: steps.folder.appendingPathComponent(lockfileName).path).load())
        for record in lockfile.sortedRecords { #expect(after.resources[record.address]?.cloudID == record.cloudID, "\(record.address) kept") }
        let tagged = try await driver.refresh(RefreshRequest(pod: pod, region: region)).resources
        #expect(tagged.allSatisfy { $0.lineage == lockfile.lineage }, "every resource back in this lineage: \(tagged.filter { $0.lineage != lockfile.lineage }.map(\.address))")
    }

    /// Text of live resources (address, cloud id, lineage, token, lease) for a snapshot, sorted.
    static func describe(_ live: [LiveResource]) -> [String] {
        live.map { found in
            let lease = found.lease.map { "\($0.lineage) \($0.tagValue)" } ?? "-"
            return "\(found.address) \(found.resource.cloudID) lineage=\(found.lineage ?? "-") op=\(found.operationToken ?? "-") lease=\(lease)"
        }.sorted()
    }
}
