import CatalyzeCore
import CatalyzeDrivers
import CatalyzeState
import CatalyzeStateBackends
import CatalyzeTestSupport
import Foundation
import Testing

/// `EtcdStateStore` against a real etcd (Debian's etcd-server 3.4, started by scripts/emulators.sh
/// with auto-compaction), through its v3 JSON gateway.
@Suite struct EtcdStateStoreTests {
    @Test func passesTheConformanceSuite() throws {
        try StateStoreConformance(
            makeStore: { try NetworkStorePeers.etcdPair() },
            location: { ($0 as! EtcdStateStore).location }
        ).run()
    }

    @Test func twoWritersFromOneSerialExactlyOneWins() throws {
        try NetworkStateStoreRaces.writersFromOneSerial(writers: 2, rounds: 20) { try NetworkStorePeers.etcdStores($0) }
    }

    @Test func eightWritersFromOneSerialExactlyOneWins() throws {
        try NetworkStateStoreRaces.writersFromOneSerial(writers: 8, rounds: 10) { try NetworkStorePeers.etcdStores($0) }
    }

    @Test func aLargeStateGoesInChunksWithThePointerSwappedLast() throws {
        // 3,000 records encode to ~2 MB: more than etcd's 1.5 MiB request limit in one value.
        let (store, other) = try NetworkStorePeers.etcdPair()
        var lockfile = try store.save(StateFixtures.lockfile(resources: 3_000))
        #expect(LockfileCodec.encode(lockfile).count > 1_600_000)
        for _ in 0..<5 { lockfile = try store.save(lockfile) }
        let loaded = try #require(try other.load())
        #expect(loaded == lockfile)
        #expect(loaded.serial == 6)
        // Only the current generation's chunks remain (each save deletes the one it replaced).
        let root = "/" + storePrefix(store)
        let chunks = try NetworkStorePeers.etcd("v3/kv/range", [
            "key": NetworkStorePeers.b64(root + "chunks/"), "range_end": NetworkStorePeers.b64(root + "chunks0"), "keys_only": true,
        ])
        let count = Int(chunks["count"] as? String ?? "0") ?? 0
        #expect(count == (LockfileCodec.encode(lockfile).count + 512 * 1024 - 1) / (512 * 1024))
    }

    @Test func theBenchmarksHundredThousandResourceStateRoundTrips() throws {
        // ~72 MB: about 140 chunks, each its own request; saved twice so the first generation's
        // chunks are deleted (the etcd under test auto-compacts, so old revisions do not pile up).
        let (store, other) = try NetworkStorePeers.etcdPair()
        let first = try store.save(StateFixtures.lockfile(resources: 100_000))
        let second = try store.save(first)
        let loaded = try #require(try other.load())
        #expect(loaded.serial == second.serial)
        #expect(loaded.resources.count == 100_000)
    }

    @Test func aKilledHoldersLockExpiresByItself() async throws {
        // A holder that died: its lock key bound to a 5 s lease nobody keeps alive, and its record
        // as last holder. No force-unlock: the next locker waits out the lease.
        let (store, _) = try NetworkStorePeers.etcdPair()
        let root = "/" + storePrefix(store)
        let dead = StateFixtures.request(id: "lock-dead", pid: 999_999)
        let record = try JSONEncoder().encode(DeadRecord(holder: dead))
        let lease = try NetworkStorePeers.etcd("v3/lease/grant", ["TTL": "5"])["ID"] as? String
        _ = try NetworkStorePeers.etcd("v3/kv/put", [
            "key": NetworkStorePeers.b64(root + "lock"), "value": record.base64EncodedString(), "lease": try #require(lease),
        ])
        _ = try NetworkStorePeers.etcd("v3/kv/put", ["key": NetworkStorePeers.b64(root + "lock-holder"), "value": record.base64EncodedString()])
        let error = #expect(throws: StateError.self) { try store.lock(StateFixtures.request(id: "lock-b"), timeout: .zero) }
        guard case let .locked(_, holder, _)? = error else { Issue.record("want .locked, got \(String(describing: error))"); return }
        #expect(holder == dead)
        let (recovered, waited) = try await offPool {
            let started = ContinuousClock.now
            let lock = try store.lock(StateFixtures.request(id: "lock-b"), timeout: .seconds(30))
            defer { try? lock.release() }
            return (lock.recoveredFrom, ContinuousClock.now - started)
        }
        #expect(waited < .seconds(20), "the 5 s lease, waited out (no force-unlock): \(waited)")
        #expect(recovered == dead)
    }

    @Test func theHeartbeatKeepsTheLockPastItsLease() async throws {
        let (store, other) = try NetworkStorePeers.etcdPair()
        let held = try store.lock(StateFixtures.request(id: "lock-a"), timeout: .zero)
        try await Task.sleep(for: .seconds(5))  // the lease is 3 s; renewed every second
        #expect(throws: StateError.self) { try other.lock(StateFixtures.request(id: "lock-b"), timeout: .zero) }
        try held.release()
        try other.lock(StateFixtures.request(id: "lock-b"), timeout: .zero).release()
    }

    @Test func anUnreachableEtcdFailsWithinTheTimeouts() async throws {
        let silent = try SilentListener()
        let store = EtcdStateStore(
            endpoints: [URL(string: "http://127.0.0.1:1")!, silent.url], prefix: "p", pod: "acme",
            transport: CurlTransport(timeouts: NetworkTimeouts(connect: 1, request: 2)))
        let (outcome, waited) = try await offPool {
            let started = ContinuousClock.now
            let outcome = Result { try store.load() }
            return (outcome, ContinuousClock.now - started)
        }
        let error = #expect(throws: StateBackendError.self) { try outcome.get() }
        #expect(waited < .seconds(8), "refused at once, then the silent member's 2 s")
        guard case .unreachable(_, let detail)? = error else { Issue.record("want .unreachable, got \(String(describing: error))"); return }
        #expect(detail.contains("127.0.0.1:1") || detail.contains("refused"), "\(detail)")
    }

    @Test func aNewerFormatIsRefusedUntouched() throws {
        let (store, _) = try NetworkStorePeers.etcdPair()
        let saved = try store.save(StateFixtures.lockfile(resources: 1))
        let root = "/" + storePrefix(store)
        let pointer = try #require(try NetworkStorePeers.etcd("v3/kv/range", ["key": NetworkStorePeers.b64(root + "state")])["kvs"] as? [[String: Any]])
        var object = try #require(try JSONSerialization.jsonObject(with: Data(base64Encoded: pointer[0]["value"] as! String)!) as? [String: Any])
        object["format_version"] = 99
        object["written_by"] = "9.9.9"
        let newer = try JSONSerialization.data(withJSONObject: object)
        _ = try NetworkStorePeers.etcd("v3/kv/put", ["key": NetworkStorePeers.b64(root + "state"), "value": newer.base64EncodedString()])
        let fresh = EtcdStateStore(
            endpoints: [try NetworkStorePeers.etcdURL()], prefix: storePrefix(store).split(separator: "/").dropLast().joined(separator: "/"),
            pod: "acme", transport: NetworkStorePeers.transport)
        let error = #expect(throws: StateError.self) { try fresh.save(saved) }
        guard case .newerFormatVersion(_, 99, "9.9.9")? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    /// `PREFIX/<pod>/` of a store (from its location, `etcd://HOST:PORT/PREFIX/<pod>`).
    private func storePrefix(_ store: EtcdStateStore) -> String {
        let afterScheme = store.location.dropFirst("etcd://".count)
        return String(afterScheme[afterScheme.firstIndex(of: "/")!...].dropFirst()) + "/"
    }

    private struct DeadRecord: Encodable {
        var holder: LockRequest
        var lease_seconds = 5
    }
}
