import CatalyzeCore
import CatalyzeState
import Foundation
import Testing

/// The checks every `StateStore` passes (Terraform style: each backend runs the same suite).
///
/// `makeStore` returns a fresh, empty store each time it is called. Two stores made by one call
/// of `sameStore` share storage (they model two processes pointed at one state).
struct StateStoreConformance {
    /// A fresh empty store, and a second handle to the same storage.
    var makeStore: () throws -> (StateStore, StateStore)
    /// How a store names its storage in errors (the `path` of `StateError` cases).
    var location: (StateStore) -> String

    /// Runs every check.
    func run() throws {
        try emptyStoreLoadsNothing()
        try saveBumpsSerialAndLoadReturnsIt()
        try staleWriterIsRefused()
        try foreignLineageIsRefused()
        try secondLockerFailsNamingTheHolder()
        try lockIsFreeAgainAfterRelease()
        try waitingLockerGetsTheLockWhenReleased()
        try forceUnlockNeedsTheRightID()
        try forceUnlockWithoutLockSaysSo()
        try aReleaseAfterForceUnlockLeavesTheNextHoldersLock()
    }

    func emptyStoreLoadsNothing() throws {
        let (store, _) = try makeStore()
        #expect(try store.load() == nil)
    }

    func saveBumpsSerialAndLoadReturnsIt() throws {
        let (store, other) = try makeStore()
        let first = try store.save(StateFixtures.lockfile(resources: 25))
        #expect(first.serial == 1)
        #expect(try other.load() == first)
        var next = first
        next.finish(token: "tok-pending-2", result: nil)
        let second = try store.save(next)
        #expect(second.serial == 2)
        #expect(second.journal.map(\.token) == ["tok-pending-1"])
        #expect(try other.load() == second)
    }

    func staleWriterIsRefused() throws {
        let (store, other) = try makeStore()
        let loadedByBoth = try store.save(StateFixtures.lockfile(resources: 2))
        _ = try other.save(loadedByBoth)  // the other writer got there first: serial 2 on disk
        #expect(throws: StateError.serialRegression(path: pathOf(store), stored: 2, saving: 1)) {
            try store.save(loadedByBoth)
        }
        #expect(try store.load()?.serial == 2)
    }

    func foreignLineageIsRefused() throws {
        let (store, _) = try makeStore()
        _ = try store.save(StateFixtures.lockfile(resources: 1))
        var foreign = StateFixtures.lockfile(resources: 1, serial: 5)
        foreign.lineage = "00000000-0000-0000-0000-000000000000"
        #expect(throws: StateError.lineageMismatch(
            path: pathOf(store), stored: StateFixtures.lineage, saving: foreign.lineage)) {
            try store.save(foreign)
        }
    }

    func secondLockerFailsNamingTheHolder() throws {
        let (store, other) = try makeStore()
        let held = try store.lock(StateFixtures.request(id: "lock-a"), timeout: .zero)
        defer { try? held.release() }
        let error = #expect(throws: StateError.self) {
            try other.lock(StateFixtures.request(id: "lock-b", command: "catalyze plan"), timeout: .zero)
        }
        guard case let .locked(_, holder, _)? = error else {
            Issue.record("want .locked, got \(String(describing: error))"); return
        }
        #expect(holder == StateFixtures.request(id: "lock-a"))
        #expect(error?.description.contains("lock-a") == true)
        #expect(error?.description.contains("catalyze apply") == true)
    }

    func lockIsFreeAgainAfterRelease() throws {
        let (store, other) = try makeStore()
        let first = try store.lock(StateFixtures.request(id: "lock-a"), timeout: .zero)
        try first.release()
        #expect(first.isReleased)
        let second = try other.lock(StateFixtures.request(id: "lock-b"), timeout: .zero)
        #expect(second.recoveredFrom == nil)
        try second.release()
    }

    func waitingLockerGetsTheLockWhenReleased() throws {
        let (store, other) = try makeStore()
        let held = try store.lock(StateFixtures.request(id: "lock-a"), timeout: .zero)
        let releaser = Thread {
            Thread.sleep(forTimeInterval: 0.3)
            try? held.release()
        }
        releaser.start()
        let waited = try other.lock(StateFixtures.request(id: "lock-b"), timeout: .seconds(30))
        #expect(waited.holder.id == "lock-b")
        #expect(held.isReleased)
        try waited.release()
    }

    func forceUnlockNeedsTheRightID() throws {
        let (store, other) = try makeStore()
        let held = try store.lock(StateFixtures.request(id: "lock-a"), timeout: .zero)
        defer { try? held.release() }
        let error = #expect(throws: StateError.self) { try other.forceUnlock(id: "lock-x") }
        guard case .unlockIDMismatch(_, "lock-x", StateFixtures.request(id: "lock-a"))? = error else {
            Issue.record("want .unlockIDMismatch, got \(String(describing: error))"); return
        }
        try other.forceUnlock(id: "lock-a")
        let next = try other.lock(StateFixtures.request(id: "lock-b"), timeout: .zero)
        try next.release()
    }

    func forceUnlockWithoutLockSaysSo() throws {
        let (store, _) = try makeStore()
        #expect(throws: StateError.notLocked(lockfile: pathOf(store), given: "lock-z")) {
            try store.forceUnlock(id: "lock-z")
        }
    }

    /// A holder whose lock was force-unlocked, releasing late, removes nothing of the next holder's.
    func aReleaseAfterForceUnlockLeavesTheNextHoldersLock() throws {
        let (store, other) = try makeStore()
        let first = try store.lock(StateFixtures.request(id: "lock-a"), timeout: .zero)
        try other.forceUnlock(id: "lock-a")
        let second = try other.lock(StateFixtures.request(id: "lock-b"), timeout: .zero)
        try first.release()
        let error = #expect(throws: StateError.self) { try store.lock(StateFixtures.request(id: "lock-c"), timeout: .zero) }
        guard case let .locked(_, holder, _)? = error else {
            Issue.record("want .locked by lock-b, got \(String(describing: error))"); return
        }
        #expect(holder?.id == "lock-b")
        try second.release()
        try store.lock(StateFixtures.request(id: "lock-c"), timeout: .zero).release()
    }

    private func pathOf(_ store: StateStore) -> String { location(store) }
}
