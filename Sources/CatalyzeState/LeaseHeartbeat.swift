import Foundation
import Synchronization

/// Renews a lock's lease on a thread of its own, every `interval`, until stopped or a renewal
/// says the lease is gone. The lease itself is timed by the server (etcd's lease TTL; on S3 the
/// lock object's `Last-Modified`), so a holder that is killed, or whose heartbeat stops, loses
/// the lock when the lease runs out, without anyone's help. Fleet reservations renew their leases
/// with it too (`FleetReservations`).
public final class LeaseHeartbeat: Sendable {
    /// What a renewal found.
    public enum Outcome: Sendable {
        /// Renewed; keep going.
        case renewed
        /// The lease is gone (expired, taken over, force-unlocked): stop renewing.
        case lost(String)
    }

    private let stopped = Mutex(false)
    private let condition = NSCondition()
    /// Why the lease was lost, if it was.
    public let lostReason = Mutex<String?>(nil)

    /// Starts renewing with `renew` every `interval`.
    public init(interval: Duration, renew: @escaping @Sendable () -> Outcome) {
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        let thread = Thread { [self] in
            while true {
                condition.lock()
                let deadline = Date(timeIntervalSinceNow: seconds)
                while !stopped.withLock({ $0 }), condition.wait(until: deadline) {}
                condition.unlock()
                if stopped.withLock({ $0 }) { return }
                // A failed request (a network blip) is retried at the next beat: the lease lasts
                // three beats, so one missed renewal does not lose it.
                if case .lost(let reason) = renew() {
                    lostReason.withLock { $0 = reason }
                    return
                }
            }
        }
        thread.stackSize = 1 << 19
        thread.start()
    }

    /// Stops renewing (returns at once; a renewal under way finishes).
    public func stop() {
        condition.lock()
        stopped.withLock { $0 = true }
        condition.broadcast()
        condition.unlock()
    }
}
