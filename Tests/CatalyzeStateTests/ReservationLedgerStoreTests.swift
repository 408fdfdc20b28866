import CatalyzeCore
import CatalyzeState
import CatalyzeStateBackends
import CatalyzeTestSupport
import Foundation
import Testing

/// The fleet reservation ledger in each backend, on the real engines: the file beside the lockfile,
/// S3 on moto (If-Match on the ETag; run_moto.py serialises conditional writes per key, as S3 is
/// atomic), etcd from Debian (a mod_revision transaction). Every write is a compare-and-swap: a
/// stale tag loses, and writers racing read-modify-write never lose each other's claims.
@Suite struct ReservationLedgerStoreTests {
    static let scope = LedgerScope(provider: "aws", region: "us-east-1")

    /// `count` handles on one fresh ledger of `backend` (as `count` processes would hold), and a cleanup.
    static func stores(_ backend: String, count: Int) throws -> ([any ReservationLedgerStore], () -> Void) {
        switch backend {
        case "file":
            let folder = try TemporaryDirectory(prefix: "catalyze-ledger")
            let stores = (0..<count).map { index in
                FileReservationLedgerStore(lockfilePath: folder.path("pod\(index).lock.json"), scope: scope) as any ReservationLedgerStore
            }
            return (stores, { folder.remove() })
        case "s3":
            let bucket = try NetworkStorePeers.bucket()
            let environment = [
                "AWS_ENDPOINT_URL": bucket.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": NetworkStorePeers.credentials.accessKeyID,
                "AWS_SECRET_ACCESS_KEY": "catalyze-test-secret-never-printed", "AWS_REGION": "us-east-1",
            ]
            let context = StateBackends.Context(
                pod: "acme", environment: environment, extraHeaders: [Emulators.motoAccountHeader: bucket.account])
            let stores = try (0..<count).map { _ in try StateBackends.ledger(.s3(bucket: bucket.name, prefix: "teams/a"), context, scope: scope) }
            return (stores, {})
        default:
            let url = try NetworkStorePeers.etcdURL()
            let backend = try StateBackendURL.parse("etcd://\(url.host!):\(url.port!)/catalyze-test/\(NetworkStorePeers.unique("ledger"))")
            let context = StateBackends.Context(pod: "acme", environment: [:])
            let stores = try (0..<count).map { _ in try StateBackends.ledger(backend, context, scope: scope) }
            return (stores, {})
        }
    }

    static func claim(_ pod: String, host: String = "h-1", expires: TimeInterval = 60) -> Reservation {
        Reservation(
            host: host, pod: pod, address: "primary/instance.app01", group: "\(pod)/primary/app", vcpu: 16, memoryMiB: 65_536,
            expiresAt: Date().addingTimeInterval(expires), holder: "lock-\(pod)")
    }

    @Test(arguments: ["file", "s3", "etcd"])
    func everyWriteIsACompareAndSwapOnTheTagRead(backend: String) async throws {
        try await offPool {
            let (stores, cleanup) = try Self.stores(backend, count: 2)
            defer { cleanup() }
            let (empty, none) = try stores[0].read()
            #expect(none == nil && empty.reservations.isEmpty && empty.provider == "aws" && empty.region == "us-east-1")
            var ledger = empty
            ledger.reservations = [Self.claim("acme")]
            let first = try #require(try stores[0].write(ledger, expected: nil), "\(backend): the first write")
            #expect(try stores[1].write(ledger, expected: nil) == nil, "\(backend): a second first write loses")
            let (read, tag) = try stores[1].read()
            #expect(tag == first && read.revision == 1 && read.reservations == [Self.claim("acme")].map { claim in
                var claim = claim
                claim.expiresAt = read.reservations[0].expiresAt
                return claim
            })
            var other = read
            other.reservations.append(Self.claim("beta", host: "h-2"))
            let second = try #require(try stores[1].write(other, expected: tag))
            #expect(second != first)
            #expect(try stores[0].write(ledger, expected: first) == nil, "\(backend): a write from a stale read loses")
            let (final, _) = try stores[0].read()
            #expect(final.revision == 2 && Set(final.reservations.map(\.pod)) == ["acme", "beta"], "\(backend): nothing overwritten")
        }
    }

    /// Eight writers at once, each adding its own claim by read-modify-CAS (retrying on a lost race,
    /// at most 40 times each): every claim is in the ledger at the end.
    @Test(arguments: ["file", "s3", "etcd"])
    func racingWritersNeverLoseAClaim(backend: String) async throws {
        try await offPool {
            let writers = 8
            let (stores, cleanup) = try Self.stores(backend, count: writers)
            defer { cleanup() }
            let start = DispatchSemaphore(value: 0)
            let group = DispatchGroup()
            let failures = Mutexed<[String]>([])
            for index in 0..<writers {
                group.enter()
                Thread {
                    defer { group.leave() }
                    start.wait()
                    for _ in 0..<40 {
                        do {
                            var (ledger, tag) = try stores[index].read()
                            ledger.reservations.append(Self.claim("pod\(index)", host: "h-\(index % 3)"))
                            if try stores[index].write(ledger, expected: tag) != nil { return }
                        } catch {
                            failures.update { $0.append("\(index): \(error)") }
                            return
                        }
                    }
                    failures.update { $0.append("\(index): lost 40 races") }
                }.start()
            }
            for _ in 0..<writers { start.signal() }
            #expect(group.wait(timeout: .now() + 60) == .success, "\(backend): writers finished in time")
            #expect(failures.value.isEmpty, "\(backend): \(failures.value)")
            let (ledger, _) = try stores[0].read()
            #expect(Set(ledger.reservations.map(\.pod)) == Set((0..<writers).map { "pod\($0)" }), "\(backend): \(ledger.reservations.map(\.pod))")
        }
    }

    @Test func garbageCollectionDropsExpiredAndVisibleClaimsOnly() {
        var ledger = ReservationLedger(scope: Self.scope)
        var visible = Self.claim("seen")
        visible.state = .committed
        visible.instanceID = "i-seen"
        var pending = Self.claim("pending")
        pending.state = .committed
        pending.instanceID = "i-not-yet"
        ledger.reservations = [Self.claim("expired", expires: -1), visible, pending, Self.claim("reserved")]
        ledger.collectGarbage(now: Date(), visible: ["i-seen", "i-other"])
        #expect(ledger.reservations.map(\.pod) == ["pending", "reserved"])
    }

    @Test func aLedgerOfANewerFormatOrNotCatalyzesIsRefusedNamingIt() throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-ledger")
        defer { folder.remove() }
        let store = FileReservationLedgerStore(lockfilePath: folder.path("acme.lock.json"), scope: Self.scope)
        #expect(store.path == folder.path("catalyze.fleet.aws-us-east-1.json"))
        try Data(#"{"format_version": 9, "reservations": []}"#.utf8).write(to: URL(fileURLWithPath: store.path))
        #expect { try store.read() } throws: { "\($0)".contains(store.path) && "\($0)".contains("format 9, newer than this release's 1") }
        try Data("[1, 2]".utf8).write(to: URL(fileURLWithPath: store.path))
        #expect { try store.read() } throws: { "\($0)".contains("not catalyze's") }
        #expect(throws: StateError.self, "nothing written over it") { try store.write(ReservationLedger(scope: Self.scope), expected: nil) }
        #expect(try String(contentsOfFile: store.path, encoding: .utf8) == "[1, 2]")
    }
}

/// A value threads update under a lock.
final class Mutexed<Value: Sendable>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}
