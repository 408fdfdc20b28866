import CatalyzeCore
import CatalyzeModel
import CatalyzeState
import CatalyzeStateBackends
import CatalyzeTestSupport
import Foundation
import Testing

/// `catalyze state migrate --to URL` (issue 17), as the built binary: the lockfile moves to etcd
/// (the peer the suite runs), is verified there, and the folder keeps only a tombstone that this
/// release and the previous one both refuse; a copy killed before its tombstone is finished by
/// running the command again; a backend that already holds other state is never overwritten.
@Suite(.serialized) struct StateMigrateTests {
    static let manifest = """
        version: 1
        pod: { name: acme, customer: Acme }
        profile: dev
        regions: [{ name: primary, provider: aws, region: us-east-1 }]
        apps: [{ name: app, replicas: 1, size: small, image: "registry.example/web:1" }]

        """

    /// A folder with the manifest and a lockfile of pod acme holding `names` as instances.
    static func folder(_ names: [String]) throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory(prefix: "catalyze-migrate")
        try Data(manifest.utf8).write(to: folder.url.appendingPathComponent("pod.yaml"))
        var lockfile = StateBackendCommandTests.lockfile(.instance, names[0])
        for name in names.dropFirst() {
            let address = ResourceAddress(region: "primary", kind: .instance, name: name)
            lockfile.resources[address] = ResourceRecord(
                address: address, kind: .instance, provider: .aws, cloudRegion: "us-east-1", cloudID: "id-\(name)",
                attributes: [:], outputs: [:], dependencies: [], token: "tok-\(name)")
        }
        _ = try FileStateStore(path: folder.path("catalyze.lock.json")).save(lockfile)
        return folder
    }

    static func etcd() throws -> (url: String, member: URL) {
        let etcd = try StateBackendCommandTests().etcdURL()
        return ("etcd://\(etcd.host!):\(etcd.port!)/catalyze-test/migrate-\(UUID().uuidString.prefix(8).lowercased())", etcd)
    }

    @Test func theStateMovesToEtcdAndTheFolderKeepsOnlyATombstoneEveryReleaseRefuses() async throws {
        let folder = try Self.folder(["app01", "app02"])
        defer { folder.remove() }
        let (url, _) = try Self.etcd()
        let before = try #require(try FileStateStore(path: folder.path("catalyze.lock.json")).load())

        let moved = try await runCommand(catalyzeBinary, ["state", "migrate", "--to", url], in: folder.url)
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(moved.stdout.contains("Moved pod 'acme'") && moved.stdout.contains("2 resources"), "\(moved.stdout)")

        // The backend holds the same pod, lineage and resources, one serial on.
        let remote = try await runCommand(catalyzeBinary, ["state", "list", "--backend", url], in: folder.url)
        #expect(remote.status == 0 && remote.stdout == "primary/instance.app01\nprimary/instance.app02\n", "\(remote.stdout)\(remote.stderr)")
        let backend = try StateBackends.store(try StateBackendURL.parse(url), .init(pod: "acme", environment: [:], timeouts: .standard))
        let copied = try #require(try backend.load())
        #expect(copied.lineage == before.lineage && copied.serial == before.serial + 1 && copied.resources == before.resources)

        // The folder refuses, naming where the state went; the lockfile is kept as the backup.
        let local = try await runCommand(catalyzeBinary, ["state", "list"], in: folder.url)
        #expect(local.status == 1, "\(local.stdout)")
        #expect(local.stderr.contains("moved to \(url)") && local.stderr.contains("--backend \(url)"), "\(local.stderr)")
        let plan = try await runCommand(catalyzeBinary, ["plan"], in: folder.url, environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9"])
        #expect(plan.status == 1 && plan.stderr.contains("moved to \(url)"), "plan reads no cloud and writes nothing: \(plan.stderr)")
        let backup = try #require(try FileStateStore(path: folder.path("catalyze.lock.json.backup")).load())
        #expect(backup.resources == before.resources)
        #expect(throws: StateError.self) { _ = try FileStateStore(path: folder.path("catalyze.lock.json")).save(before) }

        // The previous release refuses the tombstone as a format it cannot read.
        if let previous = ProcessInfo.processInfo.environment["CATALYZE_PREVIOUS_BINARY"], FileManager.default.isExecutableFile(atPath: previous) {
            let old = try await runCommand(previous, ["state", "list"], in: folder.url)
            #expect(old.status != 0 && old.stderr.contains("format_version 1000 is not supported"), "0.1.0 must not read a migrated folder: \(old.stdout)\(old.stderr)")
        }

        // Migrating again says it already moved.
        let again = try await runCommand(catalyzeBinary, ["state", "migrate", "--to", url], in: folder.url)
        #expect(again.status == 1 && again.stderr.contains("moved to \(url)"), "\(again.stderr)")
    }

    /// A run killed between the copy and the tombstone: the backend already holds the copy, the
    /// folder still the lockfile. The same command finishes it; it copies nothing twice.
    @Test func aCopyWithoutItsTombstoneIsFinishedByRunningAgain() async throws {
        let folder = try Self.folder(["app01"])
        defer { folder.remove() }
        let (url, _) = try Self.etcd()
        let lockfile = try #require(try FileStateStore(path: folder.path("catalyze.lock.json")).load())
        let backend = try StateBackends.store(try StateBackendURL.parse(url), .init(pod: "acme", environment: [:], timeouts: .standard))
        _ = try backend.save(lockfile)

        let finished = try await runCommand(catalyzeBinary, ["state", "migrate", "--to", url], in: folder.url)
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(try backend.load()?.serial == lockfile.serial + 1, "not written twice")
        #expect(try FileStateStore(path: folder.path("catalyze.lock.json")).tombstone()?.movedTo == url)
    }

    /// A backend that already holds this pod with other contents (another lineage, or state that
    /// moved on) is never overwritten, and the folder is left as it was.
    @Test func aBackendHoldingOtherStateIsNeverOverwritten() async throws {
        let folder = try Self.folder(["app01"])
        defer { folder.remove() }
        let (url, _) = try Self.etcd()
        let backend = try StateBackends.store(try StateBackendURL.parse(url), .init(pod: "acme", environment: [:], timeouts: .standard))
        var other = Lockfile.new(pod: "acme", lineage: "99999999-8888-7777-6666-555555555555")
        other.resources = [:]
        _ = try backend.save(other)
        let lockfileBytes = try Data(contentsOf: folder.url.appendingPathComponent("catalyze.lock.json"))

        let refused = try await runCommand(catalyzeBinary, ["state", "migrate", "--to", url], in: folder.url)
        #expect(refused.status == 1, "\(refused.stdout)")
        #expect(refused.stderr.contains("already holds pod 'acme' (lineage 99999999-8888-7777-6666-555555555555"), "\(refused.stderr)")
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("catalyze.lock.json")) == lockfileBytes, "the folder is untouched")
        #expect(try backend.load()?.lineage == other.lineage)

        let malformed = try await runCommand(catalyzeBinary, ["state", "migrate", "--to", "etcd://h/p"], in: folder.url)
        #expect(malformed.status == 64 && malformed.stderr.contains("--to: backend URL"), "\(malformed.stderr)")
    }
}
