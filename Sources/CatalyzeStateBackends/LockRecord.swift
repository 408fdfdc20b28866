import CatalyzeState
import Foundation
import Synchronization

/// What a network store's lock holds: the holder (as the file lock records it) and the lease
/// length, so a reader knows when an unrenewed lock has expired.
struct LockRecord: Codable, Sendable {
    var holder: LockRequest
    /// Seconds after its last renewal (server time) that the lock expires.
    var leaseSeconds: Int

    enum CodingKeys: String, CodingKey {
        case holder
        case leaseSeconds = "lease_seconds"
    }

    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }

    static func decode(_ data: Data) -> LockRecord? { try? JSONDecoder().decode(LockRecord.self, from: data) }
}

/// How long a network store's lock lives without renewal, and how often it is renewed.
public struct LeasePolicy: Sendable, Hashable {
    /// The lease: a holder that stops renewing loses the lock this long after its last renewal.
    public var ttl: Duration
    /// How long to wait between polls while another holder has the lock.
    public var poll: Duration

    /// 30 s leases, renewed every 10 s; a waiting locker polls every second.
    public static let standard = LeasePolicy(ttl: .seconds(30), poll: .seconds(1))

    /// Creates a policy (`ttl` at least 2 s: the heartbeat runs every third of it).
    public init(ttl: Duration, poll: Duration) {
        self.ttl = max(ttl, .seconds(2))
        self.poll = poll
    }

    var ttlSeconds: Int { Int(ttl.components.seconds) }
    var heartbeat: Duration { ttl / 3 }
}

/// Sleeps the calling thread (the store API is synchronous).
func sleepBlocking(_ duration: Duration) {
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
}

/// A value shared between threads (the heartbeat's current version, an STS answer).
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
