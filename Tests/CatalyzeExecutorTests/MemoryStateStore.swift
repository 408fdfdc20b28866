import CatalyzeState
import CatalyzeDrivers

/// A `StateStore` in memory: the lineage and serial checks of `FileStateStore.save`, every saved
/// lockfile kept in order (so a test can see each intent saved before its call and each result
/// after it), and a lock nobody else contends for.
final class MemoryStateStore: StateStore {
    /// The name `StateError`s give as the store's path.
    static let location = "memory"
    private let saved = Mutex<[Lockfile]>([])

    /// Every lockfile saved, oldest first.
    var history: [Lockfile] { saved.withLock { $0 } }

    func load() throws -> Lockfile? { saved.withLock { $0.last } }

    func save(_ lockfile: Lockfile) throws -> Lockfile {
        try saved.withLock { history in
            if let stored = history.last {
                guard stored.lineage == lockfile.lineage else {
                    throw StateError.lineageMismatch(path: Self.location, stored: stored.lineage, saving: lockfile.lineage)
                }
                guard stored.serial <= lockfile.serial else {
                    throw StateError.serialRegression(path: Self.location, stored: stored.serial, saving: lockfile.serial)
                }
            }
            var next = lockfile
            next.serial += 1
            history.append(next)
            return next
        }
    }

    func lock(_ info: LockRequest, timeout: Duration) throws -> StateLock { StateLock(holder: info, release: {}) }

    func forceUnlock(id: String) throws { throw StateError.notLocked(lockfile: Self.location, given: id) }
}
