import Synchronization

/// Bounds each credential's request rate: a token bucket per key (the token's name), `burst`
/// requests at once, refilled at `perMinute` a minute. A request over it is answered 429 with the
/// seconds until the next one is allowed, and never waits: a client cannot park work on the server.
public final class RateLimiter: Sendable {
    /// The decision for one request.
    public enum Decision: Sendable, Hashable {
        /// Go ahead.
        case allowed
        /// Too many: try again after this many whole seconds (at least 1).
        case limited(retryAfter: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private let perMinute: Double
    private let burst: Double
    /// Seconds on a monotonic clock (injected, so the tests need no sleep).
    private let now: @Sendable () -> Double
    private let buckets = Mutex<[String: Bucket]>([:])

    /// A limiter allowing `perMinute` requests a minute per key, `burst` at once.
    public init(perMinute: Int, burst: Int, now: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds) {
        precondition(perMinute > 0 && burst > 0, "a rate limit needs a positive rate and burst")
        self.perMinute = Double(perMinute)
        self.burst = Double(burst)
        self.now = now
    }

    /// Takes one request's token for `key`, or says how long to wait.
    public func take(_ key: String) -> Decision {
        let time = now()
        let rate = perMinute / 60
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: time)
            bucket.tokens = min(burst, bucket.tokens + max(0, time - bucket.updated) * rate)
            bucket.updated = time
            defer { buckets[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return .allowed
            }
            let wait = (1 - bucket.tokens) / rate
            return .limited(retryAfter: max(1, Int(wait.rounded(.up))))
        }
    }

    /// Seconds since an arbitrary point, on the monotonic clock.
    @Sendable public static func monotonicSeconds() -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private static let start = ContinuousClock.now
}
