import CatalyzeCore
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

@Suite struct FileStateStoreTests {
    @Test func passesTheStateStoreConformanceSuite() throws {
        var folders: [TemporaryDirectory] = []
        defer { folders.forEach { $0.remove() } }
        let suite = StateStoreConformance(
            makeStore: {
                let folder = try TemporaryDirectory(prefix: "catalyze-state")
                folders.append(folder)
                let path = folder.path("catalyze.lock.json")
                return (FileStateStore(path: path), FileStateStore(path: path))
            },
            location: { ($0 as? FileStateStore)?.path ?? "" })
        try suite.run()
    }

    @Test func writesMode0600AndKeepsTheBackupPrivateToo() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = FileStateStore(path: folder.path("catalyze.lock.json"))
        let previousMask = umask(0)  // even a permissive umask must not widen the lockfile
        defer { umask(previousMask) }
        let first = try store.save(StateFixtures.lockfile(resources: 3))
        _ = try store.save(first)
        #expect(try mode(store.path) == 0o600)
        #expect(try mode(store.backupPath) == 0o600)
    }

    @Test func refusesALockfileOthersCanRead() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = FileStateStore(path: folder.path("catalyze.lock.json"))
        let saved = try store.save(StateFixtures.lockfile(resources: 3))
        chmod(store.path, 0o644)
        #expect(throws: StateError.loosePermissions(path: store.path, mode: 0o644)) { try store.load() }
        #expect(throws: StateError.loosePermissions(path: store.path, mode: 0o644)) { try store.save(saved) }
        let message = StateError.loosePermissions(path: store.path, mode: 0o644).description
        #expect(message.contains("0644") && message.contains("chmod 600 \(store.path)"))
        chmod(store.path, 0o600)
        #expect(try store.load() == saved)
    }

    @Test func keepsThePreviousVersionAsBackup() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = FileStateStore(path: folder.path("catalyze.lock.json"))
        let first = try store.save(StateFixtures.lockfile(resources: 3))
        #expect(!FileManager.default.fileExists(atPath: store.backupPath))
        var changed = first
        changed.resources.removeAll()
        let second = try store.save(changed)
        #expect(try FileStateStore(path: store.backupPath).load() == first)
        #expect(try store.load() == second)
        _ = try store.save(second)
        #expect(try FileStateStore(path: store.backupPath).load() == second)
    }

    @Test func aWriteKilledBeforeItsRenameLeavesTheOldLockfileWhole() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = FileStateStore(path: folder.path("catalyze.lock.json"))
        let saved = try store.save(StateFixtures.lockfile(resources: 50))
        // What a process killed between writing its temp file and renaming it leaves behind.
        let next = LockfileCodec.encode(StateFixtures.lockfile(resources: 5_000, serial: saved.serial))
        let stray = store.path + ".tmp-999999-1"
        #expect(FileManager.default.createFile(atPath: stray, contents: Data(next.prefix(next.count / 3))))
        #expect(try store.load() == saved)
        let after = try store.save(saved)
        #expect(try store.load() == after)
        #expect(after.serial == saved.serial + 1)
    }

    @Test func corruptLockfileOnDiskIsReportedWithItsPath() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = FileStateStore(path: folder.path("catalyze.lock.json"))
        let fd = open(store.path, O_WRONLY | O_CREAT, 0o600)
        _ = "{\n  \"format_version\": 1,\n  \"lineage\": oops\n}".withCString { write(fd, $0, strlen($0)) }
        close(fd)
        #expect(throws: StateError.corrupt(
            path: store.path, line: 3, column: 14, reason: "expected a string, found 'o'")) { try store.load() }
    }

    @Test func failedWritesNameThePath() throws {
        let store = FileStateStore(path: "/nonexistent-folder-for-catalyze/catalyze.lock.json")
        let error = #expect(throws: StateError.self) { try store.save(StateFixtures.lockfile(resources: 1)) }
        guard case let .io(path, _, code)? = error else { Issue.record("want .io"); return }
        #expect(path.hasPrefix("/nonexistent-folder-for-catalyze/catalyze.lock.json"))
        #expect(code == ENOENT)
    }

    @Test func roundTripsOneHundredThousandResources() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = FileStateStore(path: folder.path("catalyze.lock.json"))
        let lockfile = StateFixtures.lockfile(resources: 100_000)
        let saved = try store.save(lockfile)
        let loaded = try #require(try store.load())
        #expect(loaded.resources.count == 100_000)
        #expect(loaded == saved)
        #expect(loaded.resources[StateFixtures.record(99_999).address] == StateFixtures.record(99_999))
    }

    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int) ?? -1
    }
}
