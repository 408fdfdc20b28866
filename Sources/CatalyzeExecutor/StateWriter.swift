import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
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

    /// Records the intent before a mutating call; with `deposing`, first moves those records to
    /// their deposed addresses (`Lockfile.depose`), in the same save.
    func begin(_ entry: JournalEntry, deposing: [Depose] = []) throws {
        var next = lockfile
        for item in deposing { next.depose(item.address, cloudID: item.cloudID, to: item.deposedAddress) }
        next.begin(entry)
        lockfile = try store.save(next)
    }

    /// Records the result and clears the intent.
    func finish(token: String, record: ResourceRecord?) throws {
        var next = lockfile
        next.finish(token: token, result: record)
        lockfile = try store.save(next)
    }

    /// Drops the intents `tokens` (left by an earlier, killed run for an address whose action just
    /// finished in this one): the address's state is now recorded, and whatever such an intent may
    /// have made carries the address's tag, so refresh reports it (a duplicate, deleted) instead.
    /// A stale intent kept would make every later plan resume it: an interrupted delete of a
    /// half-made resource would replace the finished one forever.
    func supersede(tokens: [String]) throws {
        guard lockfile.journal.contains(where: { tokens.contains($0.token) }) else { return }
        var next = lockfile
        for token in tokens { next.abandon(token: token) }
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
