#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CatalyzeCore
import Synchronization

/// The lockfile as a local JSON file, with its lock beside it (`<path>.lock`) and the previous
/// version kept as `<path>.backup`. A lockfile of an older format is upgraded on load
/// (`LockfileMigration`), and its old bytes are kept as `<path>.v<N>.backup` when it is first saved.
///
/// Every write is atomic: a temp file in the same folder is written, fsynced, renamed over the
/// lockfile, and the folder fsynced, so the lockfile on disk is always a complete document, even
/// if the process is killed mid-write. Files are created with mode 0600, and a lockfile readable
/// by group or others is refused.
public struct FileStateStore: StateStore {
    /// The lockfile's path.
    public let path: String

    /// A store for the lockfile at `path` (conventionally `catalyze.lock.json` beside the manifest).
    public init(path: String) { self.path = path }

    /// The lock's path: `<path>.lock`.
    public var lockPath: String { path + ".lock" }

    /// The previous version's path: `<path>.backup`.
    public var backupPath: String { path + ".backup" }

    /// Where the last lockfile of format `format` is kept when a save upgrades it: `<path>.v<N>.backup`.
    public func formatBackupPath(_ format: Int) -> String { path + ".v\(format).backup" }

    private static let tempCounter = Atomic<Int>(0)

    /// Reads the lockfile; nil when there is none.
    public func load() throws -> Lockfile? {
        guard let contents = try readChecked()?.contents else { return nil }
        try refuseTombstone(contents.bytes)
        return try LockfileCodec.decode(contents.bytes, path: path)
    }

    /// The tombstone `catalyze state migrate` left here, or nil when the file is not one (or is absent).
    public func tombstone() throws -> StateTombstone? {
        guard let contents = try readChecked()?.contents else { return nil }
        return StateTombstone.decode(contents.bytes)
    }

    /// Replaces the lockfile with a tombstone naming where its state went (atomically; the
    /// lockfile itself is kept as the backup, `<path>.backup`). Refuses when the stored lockfile is
    /// not of `tombstone`'s lineage and serial: it changed since it was copied.
    public func bury(_ tombstone: StateTombstone) throws {
        guard let stored = try storedHeader() else { throw StateError.io(path: path, operation: "replace (no lockfile)", errno: ENOENT) }
        try refuseTombstone(path: path, header: stored)
        guard stored.lineage == tombstone.lineage else {
            throw StateError.lineageMismatch(path: path, stored: stored.lineage, saving: tombstone.lineage)
        }
        guard stored.serial == tombstone.serial else {
            throw StateError.serialRegression(path: path, stored: stored.serial, saving: tombstone.serial)
        }
        try replace(with: [tombstone.encoded()], keepingBackup: true)
    }

    /// Throws `.moved` when `bytes` are a tombstone.
    private func refuseTombstone(_ bytes: [UInt8]) throws(StateError) {
        if let header = try? LockfileCodec.header(bytes, path: path), header.formatVersion == StateTombstone.formatVersion,
           let tombstone = StateTombstone.decode(bytes)
        {
            throw .moved(path: path, tombstone: tombstone)
        }
    }

    /// Throws `.moved` when the stored file whose header is `header` is a tombstone.
    private func refuseTombstone(path: String, header: LockfileCodec.Header) throws {
        guard header.formatVersion == StateTombstone.formatVersion else { return }
        if let bytes = try readChecked()?.contents.bytes { try refuseTombstone(bytes) }
    }

    /// Writes `lockfile` with `serial + 1` atomically in the current format, recording this release
    /// as its writer and keeping the previous version as the backup. When the stored file is of an
    /// older format, its bytes are first kept as `formatBackupPath` (0600); a newer one is refused.
    public func save(_ lockfile: Lockfile) throws -> Lockfile {
        let existed: Bool
        if let stored = try storedHeader() {
            try refuseTombstone(path: path, header: stored)
            try LockfileCodec.checkFormat(stored.formatVersion, writtenBy: stored.writtenBy, path: path)
            if stored.formatVersion < Lockfile.currentFormatVersion {
                try backUp(to: formatBackupPath(stored.formatVersion))
            }
            guard stored.lineage == lockfile.lineage else {
                throw StateError.lineageMismatch(path: path, stored: stored.lineage, saving: lockfile.lineage)
            }
            guard stored.serial <= lockfile.serial else {
                throw StateError.serialRegression(path: path, stored: stored.serial, saving: lockfile.serial)
            }
            existed = true
        } else {
            existed = false
        }
        var next = lockfile
        next.formatVersion = Lockfile.currentFormatVersion
        next.writtenBy = Release.version
        next.serial = lockfile.serial + 1
        try replace(with: LockfileCodec.encodeParts(next), keepingBackup: existed)
        return next
    }

    /// The stored lockfile's identity, read from its first bytes (all of it only when the header
    /// is not in them); nil when there is no lockfile. A loose mode is refused as in `load`.
    private func storedHeader() throws -> LockfileCodec.Header? {
        guard let (prefix, complete) = try readChecked(limit: 64 * 1024) else { return nil }
        if !complete, let header = try? LockfileCodec.header(prefix.bytes, path: path) { return header }
        let bytes = complete ? prefix.bytes : try readChecked()?.contents.bytes ?? []
        return try LockfileCodec.header(bytes, path: path)
    }

    /// Reads the lockfile (its first `limit` bytes, and whether that is all of it), refusing one
    /// that group or others can read.
    private func readChecked(limit: Int = .max) throws(StateError) -> (contents: FileSystem.Contents, complete: Bool)? {
        guard let read = try FileSystem.readPrefix(path, limit: limit) else { return nil }
        guard read.contents.mode & 0o077 == 0 else { throw .loosePermissions(path: path, mode: read.contents.mode) }
        return read
    }

    /// temp file → write → fsync → (backup link) → rename → fsync folder.
    private func replace(with parts: [[UInt8]], keepingBackup: Bool) throws(StateError) {
        let temp = "\(path).tmp-\(getpid())-\(Self.tempCounter.add(1, ordering: .relaxed).newValue)"
        do throws(StateError) {
            let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw StateError.io(path: temp, operation: "create", errno: errno) }
            do {
                defer { close(fd) }
                guard fchmod(fd, 0o600) == 0 else { throw StateError.io(path: temp, operation: "chmod", errno: errno) }
                for bytes in parts { try FileSystem.writeAll(fd, bytes, path: temp) }
                try FileSystem.sync(fd, path: temp)
            }
            if keepingBackup { try backUp(to: backupPath) }
            try FileSystem.move(temp, path)
        } catch {
            unlink(temp)
            throw error
        }
        try FileSystem.syncFolder(of: path)
    }

    /// Makes `destination` the current lockfile (a hard link: no copy; a copy where links fail).
    /// The lockfile is 0600, and so is the backup (a link shares its mode; a copy is made 0600).
    private func backUp(to destination: String) throws(StateError) {
        let staging = destination + ".tmp-\(getpid())-\(Self.tempCounter.add(1, ordering: .relaxed).newValue)"
        if link(path, staging) != 0 {
            guard let current = try FileSystem.read(path) else { return }
            let fd = open(staging, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw .io(path: staging, operation: "create", errno: errno) }
            defer { close(fd) }
            try FileSystem.writeAll(fd, current.bytes, path: staging)
            try FileSystem.sync(fd, path: staging)
        }
        do throws(StateError) {
            try FileSystem.move(staging, destination)
        } catch {
            unlink(staging)
            throw error
        }
    }
}
