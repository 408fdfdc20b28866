import Synchronization

/// A held state lock. Call `release()` when done; a lock never released is dropped at process exit.
public final class StateLock: Sendable {
    /// Who holds it (this process).
    public let holder: LockRequest
    /// The holder recorded by a previous process that ended without releasing (crashed or killed);
    /// nil normally. Its journal entries, if any, are in the lockfile.
    public let recoveredFrom: LockRequest?
    private let releaser: Mutex<(@Sendable () throws -> Void)?>

    /// Creates a held lock; `release` runs at most once.
    public init(holder: LockRequest, recoveredFrom: LockRequest? = nil, release: @escaping @Sendable () throws -> Void) {
        self.holder = holder
        self.recoveredFrom = recoveredFrom
        self.releaser = Mutex(release)
    }

    /// Whether `release()` has run.
    public var isReleased: Bool { releaser.withLock { $0 == nil } }

    /// Releases the lock. Later calls do nothing.
    public func release() throws {
        let action = releaser.withLock { action -> (@Sendable () throws -> Void)? in
            defer { action = nil }
            return action
        }
        try action?()
    }

    deinit {
        let action = releaser.withLock { $0 }
        try? action?()
    }
}
