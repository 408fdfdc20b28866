import CatalyzeCore
import CatalyzeDrivers
import CatalyzeState
import Foundation

/// Owns the lockfile during an apply: every intent and every result is saved before the next
/// step, one write at a time, so the file on disk is always complete and always true.
actor StateWriter {
    private(set) var lockfile: Lockfile
    private let store: StateStore

    init(lockfile: Lockfile, store: StateStore) {
        self.lockfile = lockfile
        self.store = store
    }

    /// Records the intent before a mutating call.
    func begin(_ entry: JournalEntry) throws {
        var next = lockfile
        next.begin(entry)
        lockfile = try store.save(next)
    }

    /// Records the result and clears the intent.
    func finish(token: String, record: ResourceRecord?) throws {
        var next = lockfile
        next.finish(token: token, result: record)
        lockfile = try store.save(next)
    }

    /// Clears an intent whose call certainly did nothing.
    func abandon(token: String) throws {
        var next = lockfile
        next.abandon(token: token)
        lockfile = try store.save(next)
    }

    /// The recorded cloud resources for `addresses`.
    func resources(_ addresses: [ResourceAddress]) -> [ResourceAddress: CloudResource] {
        var found: [ResourceAddress: CloudResource] = [:]
        for address in addresses { if let record = lockfile.resources[address] { found[address] = record.cloudResource } }
        return found
    }

    /// The current record at `address`.
    func record(_ address: ResourceAddress) -> ResourceRecord? { lockfile.resources[address] }
}
