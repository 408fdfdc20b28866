import Foundation

/// The AWS SDKs' "standard" retry mode, used by every driver:
/// up to `maxAttempts` tries; delay before retry n = random(0…1) × min(maxDelay, base × 2ⁿ),
/// with a larger base when throttled; a shared retry quota stops retry storms.
public struct RetryPolicy: Sendable {
    /// Attempts in all, first one included.
    public var maxAttempts: Int
    /// Base delay for transient errors.
    public var baseDelay: Duration
    /// Base delay after a throttling error.
    public var throttleBaseDelay: Duration
    /// Cap on one delay.
    public var maxDelay: Duration

    /// Close to AWS standard mode: 100 ms base, 20 s cap, and 5 attempts in all (standard mode has 3;
    /// the client-side bucket makes throttling rare, so the extra attempts only help convergence).
    /// Throttling uses a 500 ms base.
    public static let standard = RetryPolicy(
        maxAttempts: 5, baseDelay: .milliseconds(100), throttleBaseDelay: .milliseconds(500), maxDelay: .seconds(20))

    /// Creates a policy.
    public init(maxAttempts: Int, baseDelay: Duration, throttleBaseDelay: Duration, maxDelay: Duration) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.throttleBaseDelay = throttleBaseDelay
        self.maxDelay = maxDelay
    }

    /// The delay before retry number `attempt` (1 = first retry), given a random number in 0…1.
    public func delay(attempt: Int, throttled: Bool, jitter: Double) -> Duration {
        let base = throttled ? throttleBaseDelay : baseDelay
        let exponential = base * (1 << min(attempt, 20))
        let capped = min(exponential, maxDelay)
        return capped * max(0, min(1, jitter))
    }
}

/// The retry quota of AWS standard mode: a bucket of 500 tokens; a retry costs 5 (10 after a
/// timeout); a success gives 1 back. When empty, failures are returned instead of retried.
public actor RetryQuota {
    private var tokens: Int
    private let capacity: Int

    /// Creates a full quota.
    public init(capacity: Int = 500) {
        self.capacity = capacity
        self.tokens = capacity
    }

    /// Takes the cost of one retry; false when the quota is exhausted.
    public func takeRetry(timeout: Bool) -> Bool {
        let cost = timeout ? 10 : 5
        guard tokens >= cost else { return false }
        tokens -= cost
        return true
    }

    /// Gives one token back after a success.
    public func recordSuccess() { tokens = min(capacity, tokens + 1) }
}

/// A seedable random source for jitter (tests pass a seed; the CLI passes the system's).
public struct JitterSource: Sendable {
    private let next: @Sendable () -> Double

    /// Creates a source from a function returning numbers in 0…1.
    public init(_ next: @escaping @Sendable () -> Double) { self.next = next }

    /// The next number in 0…1.
    public func draw() -> Double { next() }

    /// The system's random numbers.
    public static let system = JitterSource { Double.random(in: 0...1) }
}
