import CatalyzeCore
import Foundation

/// Why a lockfile could not be read, written, locked or unlocked. Message text lives in `description`.
public enum StateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The lockfile is not valid JSON or not the lockfile schema, at `line`:`column` (1-based).
    case corrupt(path: String, line: Int, column: Int, reason: String)
    /// The lockfile's `format_version` is not one this build reads (below 1).
    case unsupportedFormatVersion(path: String, found: Int)
    /// The lockfile's format is newer than this build's; `writtenBy` is the release that wrote it
    /// when the file says. The file is left untouched.
    case newerFormatVersion(path: String, found: Int, writtenBy: String?)
    /// The stored lockfile belongs to another lineage than the one being saved.
    case lineageMismatch(path: String, stored: String, saving: String)
    /// The stored lockfile has a higher serial than the one being saved: someone else wrote it.
    case serialRegression(path: String, stored: Int, saving: Int)
    /// The lockfile (or its lock) can be read by group or others; `mode` is the permission bits.
    case loosePermissions(path: String, mode: Int)
    /// Another process holds the lock (holder nil when its record could not be read).
    case locked(lockfile: String, holder: LockRequest?, waited: Duration)
    /// The lock is held but its recorded holder is a process on this host that no longer runs.
    case staleLock(lockfile: String, holder: LockRequest)
    /// `force-unlock` named another lock than the one held.
    case unlockIDMismatch(lockfile: String, given: String, holder: LockRequest?)
    /// `force-unlock` found no lock to remove.
    case notLocked(lockfile: String, given: String)
    /// A file operation failed; `errno` is the system error number.
    case io(path: String, operation: String, errno: Int32)
    /// `catalyze state migrate` moved this state to another backend; what it left here says where.
    case moved(path: String, tombstone: StateTombstone)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case let .corrupt(path, line, column, reason):
            return "\(path):\(line):\(column): lockfile is corrupt: \(reason). "
                + "The previous version is kept as \(path).backup."
        case let .unsupportedFormatVersion(path, found):
            return "\(path): lockfile format_version \(found) is not supported "
                + "(this catalyze reads formats 1-\(Lockfile.currentFormatVersion)); use a catalyze that wrote it."
        case let .newerFormatVersion(path, found, writtenBy):
            let writer = writtenBy ?? Lockfile.formatReleases[found]
            let by = writer.map { ", written by catalyze \($0)" } ?? ""
            return "\(path): lockfile format \(found)\(by) is newer than this catalyze \(Release.version) reads "
                + "(formats 1-\(Lockfile.currentFormatVersion)); it was left untouched. "
                + "Use catalyze \(writer.map { "\($0) or later" } ?? "of the release that wrote it") for this pod."
        case let .lineageMismatch(path, stored, saving):
            return "\(path): refusing to overwrite a lockfile of another lineage (stored \(stored), "
                + "saving \(saving)); this state belongs to a different pod or was re-created."
        case let .serialRegression(path, stored, saving):
            return "\(path): refusing to save serial \(saving) over serial \(stored): another run wrote the "
                + "lockfile since it was loaded. Run the command again to start from the current state."
        case let .loosePermissions(path, mode):
            return "\(path): permissions \(String(format: "%04o", mode)) let group or others read it; "
                + "refusing to use it. Fix with: chmod 600 \(shellQuoted(path))"
        case let .locked(lockfile, holder, waited):
            let who = holder.map { $0.summary } ?? "a lock whose holder could not be read"
            let wait = waited > .zero ? " (waited \(String(format: "%.1f", Double(waited.components.seconds) + Double(waited.components.attoseconds) / 1e18)) s)" : ""
            return "\(lockfile): state is locked\(wait): \(who). Wait for it to finish, or retry with "
                + "--lock-timeout to wait."
        case let .staleLock(lockfile, holder):
            return "\(lockfile): stale lock: \(holder.summary), but pid \(holder.pid) is no longer running on "
                + "\(holder.host). If no other catalyze is working on this pod, remove it with: "
                + "catalyze force-unlock \(holder.id) --state \(shellQuoted(lockfile))"
        case let .unlockIDMismatch(lockfile, given, holder):
            let held = holder.map { "the lock held is \($0.summary)" } ?? "the lock's holder could not be read"
            return "\(lockfile): lock id \(given) does not match: \(held). Nothing was unlocked."
        case let .notLocked(lockfile, given):
            return "\(lockfile): not locked; lock \(given) was already released."
        case let .moved(path, tombstone):
            return "\(path): the state of pod '\(tombstone.pod)' moved to \(tombstone.movedTo) on \(Timestamp.format(tombstone.movedAt)) "
                + "(catalyze state migrate; lineage \(tombstone.lineage), serial \(tombstone.serial)); nothing here was read or written. "
                + "Pass --backend \(tombstone.movedTo), set CATALYZE_BACKEND, or put `state: { backend: \(tombstone.movedTo) }` in the manifest."
        case let .io(path, operation, code) where code == ELOOP:
            return "\(path): cannot \(operation): it is a symbolic link; catalyze does not write through links in a state folder"
        case let .io(path, operation, code):
            return "\(path): cannot \(operation): \(String(cString: strerror(code)))"
        }
    }
}

/// `path` quoted for a POSIX shell when it needs it.
func shellQuoted(_ path: String) -> String {
    let plain = path.utf8.allSatisfy { byte in
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "-"),
             UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: ","):
            true
        default: false
        }
    }
    return plain && !path.isEmpty ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
