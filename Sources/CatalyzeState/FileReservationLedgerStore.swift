#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A region's reservation ledger as a file beside the lockfile (`catalyze.fleet.<provider>-<region>.json`
/// in the lockfile's folder), guarded as the lockfile is: every write holds `flock(2)` on
/// `<path>.lock`, checks the stored revision against the one the writer read (the version tag),
/// and replaces the file atomically (temp file, fsync, rename, folder fsync; mode 0600). Pods
/// whose lockfiles share a folder share the ledger.
public struct FileReservationLedgerStore: ReservationLedgerStore {
    /// The ledger's path.
    public let path: String
    let scope: LedgerScope

    /// The ledger of `scope` beside the lockfile at `lockfilePath`.
    public init(lockfilePath: String, scope: LedgerScope) {
        let folder = FileSystem.parentFolder(lockfilePath)
        path = folder + "/catalyze.fleet.\(scope.key).json"
        self.scope = scope
    }

    public var location: String { path }

    public func read() throws -> (ledger: ReservationLedger, tag: String?) {
        guard let contents = try FileSystem.read(path) else { return (ReservationLedger(scope: scope), nil) }
        let ledger = try ReservationLedger.decode(Data(contents.bytes), location: path)
        return (ledger, String(ledger.revision))
    }

    public func write(_ ledger: ReservationLedger, expected: String?) throws -> String? {
        let lockPath = path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw StateError.io(path: lockPath, operation: "open", errno: errno) }
        defer { close(fd) }  // drops the kernel lock
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw StateError.io(path: lockPath, operation: "lock", errno: errno) }
        }
        let stored = try FileSystem.read(path).map { try ReservationLedger.decode(Data($0.bytes), location: path) }
        guard stored.map({ String($0.revision) }) == expected else { return nil }
        var next = ledger
        next.formatVersion = ReservationLedger.currentFormatVersion
        next.revision = (stored?.revision ?? 0) + 1
        let temp = path + ".tmp.\(getpid())"
        let out = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard out >= 0 else { throw StateError.io(path: temp, operation: "create", errno: errno) }
        do {
            try FileSystem.writeAll(out, Array(next.encoded()), path: temp)
            try FileSystem.sync(out, path: temp)
            close(out)
        } catch {
            close(out)
            unlink(temp)
            throw error
        }
        try FileSystem.move(temp, path)
        try FileSystem.syncFolder(of: path)
        return String(next.revision)
    }
}
