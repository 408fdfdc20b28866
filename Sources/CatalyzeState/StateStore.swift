/// Where a pod's lockfile lives, and its lock. Every implementation passes `StateStoreConformance`.
///
/// The protocol is synchronous: a store does small, local, blocking I/O.
public protocol StateStore: Sendable {
    /// The lockfile, or nil when none has been written yet.
    func load() throws -> Lockfile?

    /// Writes `lockfile` with `serial + 1` and returns what was written.
    ///
    /// Refuses (`StateError.lineageMismatch`, `.serialRegression`) when the stored lockfile has
    /// another lineage or a higher serial than `lockfile` (someone else wrote it since it was loaded).
    func save(_ lockfile: Lockfile) throws -> Lockfile

    /// Takes the exclusive lock, waiting up to `timeout` (`.zero`: fail at once) for its holder.
    ///
    /// Throws `StateError.locked` naming the holder, or `.staleLock` when the recorded holder is a
    /// dead process on this host.
    func lock(_ info: LockRequest, timeout: Duration) throws -> StateLock

    /// Removes the lock whose id is `id` (only that one), whoever holds it.
    func forceUnlock(id: String) throws
}
