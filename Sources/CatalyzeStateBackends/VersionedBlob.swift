import CatalyzeCore
import CatalyzeState
import Synchronization

/// One stored lockfile in a network store, read and written by compare-and-swap on a version tag
/// (S3: the object's ETag; etcd: the pointer key's `mod_revision`).
protocol VersionedBlob: Sendable {
    /// How errors name the state (`s3://bucket/prefix/pod/catalyze.lock.json`).
    var location: String { get }
    /// The stored lockfile's header and version tag; nil when none is stored.
    func readHeader() throws -> (header: LockfileCodec.Header, tag: String)?
    /// The stored lockfile's bytes and version tag; nil when none is stored.
    func readAll() throws -> (bytes: [UInt8], tag: String)?
    /// Stores `parts` (one document) if the stored version is still `expected` (nil: only if none
    /// is stored); returns the new tag, or nil when another writer got there first.
    func write(_ parts: [[UInt8]], header: LockfileCodec.Header, expected: String?) throws -> String?
}

/// The version a store handle last read or wrote: a save of that same lineage and serial swaps
/// against its tag without reading first, so one save costs one request.
final class KnownVersion: Sendable {
    private let state = Mutex<(lineage: String, serial: Int, tag: String)?>(nil)

    func get() -> (lineage: String, serial: Int, tag: String)? { state.withLock { $0 } }
    func set(_ lineage: String, _ serial: Int, _ tag: String) { state.withLock { $0 = (lineage, serial, tag) } }
}

/// The load and save of every network store, on top of its `VersionedBlob`: the same checks and
/// errors as `FileStateStore` (lineage, serial, newer format), every write a compare-and-swap.
struct CASState: Sendable {
    let blob: any VersionedBlob
    let known = KnownVersion()

    func load() throws -> Lockfile? {
        guard let (bytes, tag) = try blob.readAll() else { return nil }
        let lockfile = try LockfileCodec.decode(bytes, path: blob.location)
        known.set(lockfile.lineage, lockfile.serial, tag)
        return lockfile
    }

    /// Writes `lockfile` with `serial + 1` if nobody wrote since the version it was made from.
    ///
    /// A writer that loses the race gets `StateError.serialRegression` naming the winner's serial
    /// (or `.lineageMismatch`): nothing is merged, the caller stops.
    func save(_ lockfile: Lockfile) throws -> Lockfile {
        var expected: String?
        if let seen = known.get(), seen.lineage == lockfile.lineage, seen.serial == lockfile.serial {
            expected = seen.tag
        } else if let (stored, tag) = try blob.readHeader() {
            try check(stored, saving: lockfile)
            expected = tag
        }
        var next = lockfile
        next.formatVersion = Lockfile.currentFormatVersion
        next.writtenBy = Release.version
        next.serial = lockfile.serial + 1
        let header = LockfileCodec.Header(
            formatVersion: next.formatVersion, lineage: next.lineage, serial: next.serial, writtenBy: next.writtenBy)
        guard let tag = try blob.write(LockfileCodec.encodeParts(next), header: header, expected: expected) else {
            // Lost the race: say who won (their serial), or that the state went away or changed hands.
            guard let (stored, _) = try blob.readHeader() else {
                throw StateBackendError.conflict(location: blob.location, detail: "the state was deleted while this run held it")
            }
            try check(stored, saving: lockfile)
            throw StateError.serialRegression(path: blob.location, stored: stored.serial, saving: lockfile.serial)
        }
        known.set(next.lineage, next.serial, tag)
        return next
    }

    private func check(_ stored: LockfileCodec.Header, saving lockfile: Lockfile) throws {
        try LockfileCodec.checkFormat(stored.formatVersion, writtenBy: stored.writtenBy, path: blob.location)
        guard stored.lineage == lockfile.lineage else {
            throw StateError.lineageMismatch(path: blob.location, stored: stored.lineage, saving: lockfile.lineage)
        }
        guard stored.serial <= lockfile.serial else {
            throw StateError.serialRegression(path: blob.location, stored: stored.serial, saving: lockfile.serial)
        }
    }
}
