import CatalyzeServe
import Synchronization
import Testing

/// The per-token rate limit, on an injected clock (no sleeping).
@Suite struct RateLimiterTests {
    final class FakeClock: Sendable {
        let seconds = Mutex(0.0)
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
        var now: Double { seconds.withLock { $0 } }
    }

    @Test func burstThenRefillPerToken() {
        let clock = FakeClock()
        let limiter = RateLimiter(perMinute: 6, burst: 2, now: { clock.now })
        #expect(limiter.take("a") == .allowed)
        #expect(limiter.take("a") == .allowed)
        #expect(limiter.take("a") == .limited(retryAfter: 10), "6 a minute: one every 10 s")
        #expect(limiter.take("b") == .allowed, "each token has its own bucket")
        clock.advance(9)
        #expect(limiter.take("a") == .limited(retryAfter: 1))
        clock.advance(1)
        #expect(limiter.take("a") == .allowed)
        clock.advance(3600)
        #expect(limiter.take("a") == .allowed && limiter.take("a") == .allowed)
        #expect(limiter.take("a") != .allowed, "the bucket holds at most the burst")
    }
}
