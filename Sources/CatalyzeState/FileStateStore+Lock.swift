#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The lock: `<lockfile>.lock`, held with `flock(2)` and holding the holder's `LockRequest` as JSON.
///
/// The kernel lock is the authority, so a crashed or killed holder never blocks anyone (its lock
/// goes with its process); the JSON record is what lets a blocked writer name the holder. Release
/// removes the file. A record whose process is gone while the kernel lock is still held (its file
/// descriptor survived in a child process) is reported as stale, with the force-unlock command.
extension FileStateStore {
    private enum Attempt {
        case acquired(StateLock)
        case held(LockRequest?)
    }

    /// Takes the lock, polling every 100 ms up to `timeout` while another process holds it.
    public func lock(_ info: LockRequest, timeout: Duration) throws -> StateLock {
        let clock = ContinuousClock()
        let start = clock.now
        while true {
            switch try attempt(info) {
            case .acquired(let lock):
                return lock
            case .held(let holder):
                if let holder, holder.host == info.host, holder.pid != getpid(),
                   !FileSystem.processIsRunning(holder.pid) {
                    throw StateError.staleLock(lockfile: path, holder: holder)
                }
                let waited = clock.now - start
                guard waited < timeout else { throw StateError.locked(lockfile: path, holder: holder, waited: waited) }
                clock.sleepSync(for: min(.milliseconds(100), timeout - waited))
            }
        }
    }

    /// Removes the lock file if its recorded holder has id `id`.
    ///
    /// A process still holding the old lock keeps it on the removed file only; the next writer
    /// locks a new file.
    public func forceUnlock(id: String) throws {
        let holder: LockRequest?? = try FileSystem.withOpenFile(lockPath, flags: O_RDONLY) { fd throws(StateError) in
            try readHolder(fd)
        }
        guard let holder else { throw StateError.notLocked(lockfile: path, given: id) }
        guard let holder, holder.id == id else {
            throw StateError.unlockIDMismatch(lockfile: path, given: id, holder: holder)
        }
        guard unlink(lockPath) == 0 || errno == ENOENT else {
            throw StateError.io(path: lockPath, operation: "remove", errno: errno)
        }
        try FileSystem.syncFolder(of: lockPath)
    }

    /// The holder recorded in the lock file, if any (it may be empty while being written).
    func currentHolder() throws(StateError) -> LockRequest? {
        let holder = try FileSystem.withOpenFile(lockPath, flags: O_RDONLY) { fd throws(StateError) in
            try readHolder(fd)
        }
        return holder ?? nil
    }

    private func attempt(_ info: LockRequest) throws(StateError) -> Attempt {
        while true {
            // O_NOFOLLOW: a symbolic link at the lock's name is refused (ELOOP), never written through.
            let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else { throw .io(path: lockPath, operation: "open", errno: errno) }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                defer { close(fd) }
                guard code == EWOULDBLOCK else { throw .io(path: lockPath, operation: "lock", errno: code) }
                var holder = try readHolder(fd)
                if holder == nil {  // the holder is between taking the lock and recording itself
                    ContinuousClock().sleepSync(for: .milliseconds(20))
                    holder = try readHolder(fd)
                }
                return .held(holder)
            }
            // Locked — but the file may have been removed (released or force-unlocked) since we
            // opened it; then the lock is on a dead file, and we start again.
            guard let mine = FileSystem.identity(fd), let there = FileSystem.identity(lockPath), mine == there else {
                close(fd)
                continue
            }
            do throws(StateError) {
                let previous = try readHolder(fd)
                guard let record = try? JSONEncoder.sorted.encode(info) else {
                    throw .io(path: lockPath, operation: "encode the holder record", errno: EINVAL)
                }
                guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else {
                    throw .io(path: lockPath, operation: "truncate", errno: errno)
                }
                try FileSystem.writeAll(fd, Array(record), path: lockPath)
                try FileSystem.sync(fd, path: lockPath)
                let lockPath = lockPath
                return .acquired(StateLock(holder: info, recoveredFrom: previous) {
                    Self.release(fd: fd, lockPath: lockPath, identity: mine)
                })
            } catch {
                close(fd)
                throw error
            }
        }
    }

    /// Removes the lock file (if it is still ours), then closes it, which drops the kernel lock.
    private static func release(fd: Int32, lockPath: String, identity: (UInt64, UInt64)) {
        if let there = FileSystem.identity(lockPath), there == identity { unlink(lockPath) }
        close(fd)
    }

    /// Decodes the holder record (nil when the file is empty or not a record).
    private func readHolder(_ fd: Int32) throws(StateError) -> LockRequest? {
        let bytes = try FileSystem.readAll(fd, path: lockPath, sizeHint: 512)
        guard !bytes.isEmpty else { return nil }
        return try? JSONDecoder().decode(LockRequest.self, from: Data(bytes))
    }
}

extension JSONEncoder {
    /// An encoder with sorted keys (deterministic bytes).
    fileprivate static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension ContinuousClock {
    /// Blocks the calling thread for `duration` (the store's API is synchronous).
    fileprivate func sleepSync(for duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
