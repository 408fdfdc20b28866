import Foundation

/// A client-side token bucket: at most `burst` requests at once, refilled at `rate` per second.
///
/// Drivers keep one per (region, action), so catalyze stays under the cloud's own limits instead
/// of learning them from `RequestLimitExceeded`.
public actor TokenBucket {
    private let rate: Double
    private let burst: Double
    private var tokens: Double
    private var updated: ContinuousClock.Instant
    private let clock = ContinuousClock()

    /// Creates a full bucket.
    public init(rate: Double, burst: Double) {
        precondition(rate > 0 && burst >= 1, "token bucket needs rate > 0 and burst ≥ 1")
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.updated = ContinuousClock().now
    }

    /// Waits until a token is available and takes it.
    ///
    /// Callers are served in the order they ask (first come, first served): each takes its token at
    /// once — the count may go below zero, which is a queue of reservations — and sleeps until the
    /// refill has paid for it. So a saturated bucket hands out exactly `rate` tokens a second, evenly
    /// spaced, without a crowd of sleepers racing for each token.
    public func acquire() async throws {
        refill()
        tokens -= 1
        guard tokens < 0 else { return }
        do {
            try await Task.sleep(for: .seconds(-tokens / rate))
        } catch {
            tokens += 1  // cancelled: give the reservation back
            throw error
        }
    }

    /// Empties the bucket (after the cloud said we were too fast); reservations already queued stay.
    public func drain() {
        refill()
        tokens = min(tokens, 0)
    }

    private func refill() {
        let now = clock.now
        let elapsed = updated.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(burst, tokens + seconds * rate)
        updated = now
    }
}

/// A set of token buckets keyed by name (e.g. `us-east-1/RunInstances`), created on first use.
public actor TokenBuckets {
    private var buckets: [String: TokenBucket] = [:]
    private let limits: @Sendable (String) -> (rate: Double, burst: Double)

    /// Creates the set; `limits` gives the rate and burst for a key.
    public init(limits: @escaping @Sendable (String) -> (rate: Double, burst: Double)) { self.limits = limits }

    /// The bucket for `key`.
    public func bucket(_ key: String) -> TokenBucket {
        if let bucket = buckets[key] { return bucket }
        let (rate, burst) = limits(key)
        let bucket = TokenBucket(rate: rate, burst: burst)
        buckets[key] = bucket
        return bucket
    }
}
