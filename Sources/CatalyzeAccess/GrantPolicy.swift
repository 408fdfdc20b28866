import CatalyzeCore

/// The limits every grant must respect. The customer can tighten them in the manifest.
public struct GrantPolicy: Hashable, Sendable, Codable {
    /// The longest ordinary grant (default 8 h).
    public var maximumTTL: TimeSpan
    /// The longest break-glass (`--emergency`) grant (default 1 h).
    public var emergencyMaximumTTL: TimeSpan
    /// How far before "now" a certificate starts, so a host whose clock runs a little behind accepts it.
    public var clockSkewAllowance: TimeSpan

    /// The defaults: 8 h ordinary, 1 h emergency, 2 min skew.
    public static let standard = GrantPolicy(
        maximumTTL: TimeSpan(seconds: 8 * 3_600), emergencyMaximumTTL: TimeSpan(seconds: 3_600),
        clockSkewAllowance: TimeSpan(seconds: 120))

    /// Creates a policy.
    public init(maximumTTL: TimeSpan, emergencyMaximumTTL: TimeSpan, clockSkewAllowance: TimeSpan) {
        self.maximumTTL = maximumTTL
        self.emergencyMaximumTTL = emergencyMaximumTTL
        self.clockSkewAllowance = clockSkewAllowance
    }

    /// The cap that applies to a grant.
    public func cap(emergency: Bool) -> TimeSpan { emergency ? emergencyMaximumTTL : maximumTTL }

    /// Checks a requested TTL against the cap; throws `ttlNotPositive` or `ttlOverCap`.
    public func check(ttl: TimeSpan, emergency: Bool) throws {
        guard ttl.seconds > 0 else { throw AccessError.ttlNotPositive(ttl) }
        let cap = cap(emergency: emergency)
        guard ttl <= cap else { throw AccessError.ttlOverCap(requested: ttl, cap: cap, emergency: emergency) }
    }
}
