import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// The file lock against real processes: util-linux `flock(1)` holds the kernel lock the way a
/// catalyze process would, and gets killed the way a crashed one does.
@Suite struct FileStateStoreLockTests {
    @Test func recordsTheHolderAndRemovesTheLockOnRelease() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = FileStateStore(path: folder.path("catalyze.lock.json"))
        let lock = try store.lock(StateFixtures.request(id: "lock-a"), timeout: .zero)
        let record = try JSONDecoder().decode(LockRequest.self, from: Data(contentsOf: URL(fileURLWithPath: store.lockPath)))
        #expect(record == StateFixtures.request(id: "lock-a"))
        #expect((try FileManager.default.attributesOfItem(atPath: store.lockPath)[.posixPermissions] as? Int) == 0o600)
        try lock.release()
        #expect(!FileManager.default.fileExists(atPath: store.lockPath))
        try lock.release()  // a second release does nothing
    }

    @Test func aSymbolicLinkAtTheLocksNameIsRefusedNotWrittenThrough() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = FileStateStore(path: folder.path("catalyze.lock.json"))
        let victim = folder.path("victim.txt")
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: store.lockPath, withDestinationPath: victim)
        let error = #expect(throws: StateError.self) { try store.lock(StateFixtures.request(id: "lock-a"), timeout: .zero) }
        #expect(error?.description.contains("is a symbolic link") == true, "\(String(describing: error))")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me\n")
    }

    @Test func aSecondThreadWithItsOwnDescriptorFailsNamingTheHolder() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path("catalyze.lock.json")
        let taken = DispatchSemaphore(value: 0)
        let checked = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let holder = Thread {
            let lock = try? FileStateStore(path: path).lock(StateFixtures.request(id: "lock-a"), timeout: .zero)
            taken.signal()
            checked.wait()
            try? lock?.release()
            done.signal()
        }
        holder.start()
        taken.wait()
        let error = #expect(throws: StateError.self) {
            try FileStateStore(path: path).lock(StateFixtures.request(id: "lock-b"), timeout: .zero)
        }
        checked.signal()
        done.wait()
        #expect(isLocked(error, by: StateFixtures.request(id: "lock-a")))
        let after = try FileStateStore(path: path).lock(StateFixtures.request(id: "lock-b"), timeout: .zero)
        try after.release()
    }

    @Test func aKilledHolderNeverBlocksTheNextWriter() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = FileStateStore(path: folder.path("catalyze.lock.json"))
        // flock(1) -o: the lock is held by the flock process itself, not by its child.
        let holder = try holdLock(store.lockPath, closeInChild: true, folder: folder)
        defer { holder.killOrphan() }
        let recorded = StateFixtures.request(id: "lock-dead", pid: holder.pid)
        try waitUntilLocked(store, recording: recorded)

        let error = #expect(throws: StateError.self) { try store.lock(StateFixtures.request(id: "lock-b"), timeout: .zero) }
        #expect(isLocked(error, by: recorded))

        // Between its fork and the close of the lock in the child, flock's child shares the locked
        // descriptor: wait until the child runs (it has closed it by then), then kill flock.
        try waitForChild(holder)
        holder.kill()
        let lock = try store.lock(StateFixtures.request(id: "lock-b"), timeout: .zero)
        #expect(lock.recoveredFrom == recorded)
        try lock.release()
    }

    @Test func aDeadHolderWhoseLockLivesOnInAChildIsStale() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = FileStateStore(path: folder.path("catalyze.lock.json"))
        // Without -o the child inherits the locked descriptor: killing flock leaves the lock held
        // by an orphan, the way a crashed tool leaves one in a subprocess it spawned.
        let holder = try holdLock(store.lockPath, closeInChild: false, folder: folder)
        defer { holder.killOrphan() }
        let recorded = StateFixtures.request(id: "lock-stale", pid: holder.pid)
        try waitUntilLocked(store, recording: recorded)
        // flock(1) takes the lock before it forks: wait until the child that inherits it runs,
        // or killing flock would free the lock and there would be no orphan to detect.
        try waitForChild(holder)
        holder.kill()

        #expect(throws: StateError.staleLock(lockfile: store.path, holder: recorded)) {
            try store.lock(StateFixtures.request(id: "lock-b"), timeout: .seconds(5))
        }
        let message = StateError.staleLock(lockfile: store.path, holder: recorded).description
        #expect(message.contains("catalyze force-unlock lock-stale --state \(store.path)"))
        #expect(message.contains("pid \(holder.pid) is no longer running"))

        try store.forceUnlock(id: "lock-stale")
        let lock = try store.lock(StateFixtures.request(id: "lock-b"), timeout: .zero)
        #expect(lock.recoveredFrom == nil)
        try lock.release()
    }

    @Test func aHolderOnAnotherHostIsNeverCalledStale() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = FileStateStore(path: folder.path("catalyze.lock.json"))
        let holder = try holdLock(store.lockPath, closeInChild: true, folder: folder)
        defer { holder.kill(); holder.killOrphan() }
        var remote = StateFixtures.request(id: "lock-remote", pid: 999_999)
        remote.host = "elsewhere"
        try waitUntilLocked(store, recording: remote)
        let error = #expect(throws: StateError.self) { try store.lock(StateFixtures.request(id: "lock-b"), timeout: .zero) }
        #expect(isLocked(error, by: remote))
    }

    // MARK: - Helpers

    /// An outside process, started with posix_spawn (Foundation's Process waits for orphans that
    /// inherit its bookkeeping pipe, which is exactly the situation these tests create).
    private struct Child {
        let pid: pid_t
        let orphanFile: String

        /// Kills it and reaps it.
        func kill() {
            _ = Glibc.kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }

        /// Kills the `sleep` it started.
        func killOrphan() {
            for _ in 0..<100 {
                if let text = try? String(contentsOfFile: orphanFile, encoding: .utf8),
                   let orphan = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                    _ = Glibc.kill(orphan, SIGKILL)
                    return
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// Runs `flock [-o] LOCKPATH sh -c 'echo $$ > PIDFILE; exec sleep 60'`.
    private func holdLock(_ lockPath: String, closeInChild: Bool, folder: TemporaryDirectory) throws -> Child {
        let orphanFile = folder.path("orphan.pid")
        let arguments = ["/usr/bin/flock"] + (closeInChild ? ["-o"] : [])
            + [lockPath, "sh", "-c", "echo $$ > \(orphanFile); exec sleep 60"]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, arguments[0], nil, nil, &argv, environ)
        try #require(code == 0, "posix_spawn flock: \(code)")
        return Child(pid: pid, orphanFile: orphanFile)
    }

    /// Waits until the holder's child shell has written its pid (it then holds the inherited lock).
    private func waitForChild(_ holder: Child) throws {
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: holder.orphanFile, encoding: .utf8),
               Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) != nil { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("the lock holder's child never started")
    }

    /// Waits until the outside process holds the kernel lock (probing with flock(2) directly, so
    /// the probe never removes the file), then writes the holder record it would have written.
    private func waitUntilLocked(_ store: FileStateStore, recording holder: LockRequest) throws {
        for _ in 0..<200 {
            let fd = open(store.lockPath, O_RDWR | O_CREAT, 0o600)
            let free = fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0
            if fd >= 0 { close(fd) }
            if fd >= 0 && !free {
                let record = Array(try JSONEncoder().encode(holder))
                let out = open(store.lockPath, O_WRONLY | O_TRUNC)
                defer { close(out) }
                #expect(record.withUnsafeBytes { write(out, $0.baseAddress, $0.count) } == record.count)
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("the outside process never took the lock")
    }

    private func isLocked(_ error: StateError?, by holder: LockRequest) -> Bool {
        if case let .locked(_, found, _)? = error { return found == holder }
        return false
    }
}
