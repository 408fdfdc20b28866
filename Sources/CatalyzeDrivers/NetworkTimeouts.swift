import Foundation

/// How long one HTTP request may wait: to connect (TCP and TLS), and in all for its answer.
///
/// A peer that accepts a connection and never answers fails after `request`; drivers retry such
/// a request at most once, and only when it is safe to repeat, so a silent endpoint costs at
/// most twice `request` plus one backoff (`man catalyze`, ENVIRONMENT and `--request-timeout`).
public struct NetworkTimeouts: Sendable, Hashable {
    /// Connecting, TLS handshake included.
    public var connect: TimeInterval
    /// The whole exchange, connecting included.
    public var request: TimeInterval

    /// 10 s to connect, 30 s for the answer.
    public static let standard = NetworkTimeouts(connect: 10, request: 30)

    /// Creates timeouts (in seconds).
    public init(connect: TimeInterval, request: TimeInterval) {
        self.connect = connect
        self.request = request
    }
}

/// Which wait ran out.
public enum TimeoutPhase: String, Sendable, Hashable {
    /// No connection was made in time.
    case connect
    /// Connected, but the answer did not come in time.
    case answer
}
