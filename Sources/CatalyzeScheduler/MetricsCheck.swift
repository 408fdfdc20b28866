import CatalyzeCore
import Foundation

/// Feasibility: the host reported utilisation recently enough, with percents that make sense.
public struct MetricsCheck: Sendable {
    /// The oldest acceptable sample.
    public let maxAge: TimeSpan
    /// The instant placement runs at.
    public let now: Date

    /// Creates the check (placement makes one per run; `catalyze hosts` one per listing).
    public init(maxAge: TimeSpan, now: Date) {
        self.maxAge = maxAge
        self.now = now
    }

    /// Nil when the host's metrics are present, within 0–100 and at most `maxAge` old.
    public func rejection(of host: FleetHost) -> Rejection? {
        guard let metrics = host.metrics else { return .noMetrics }
        let valid = (0...100).contains(metrics.cpuPercent) && (0...100).contains(metrics.memoryPercent)
        guard valid else { return .invalidMetrics(cpuPercent: metrics.cpuPercent, memoryPercent: metrics.memoryPercent) }
        let age = Self.age(of: metrics, now: now)
        return age > maxAge ? .staleMetrics(age: age, maximum: maxAge) : nil
    }

    /// Whole seconds between the sample and `now` (zero for a sample from the future: clock skew).
    /// `plan --explain` and `catalyze hosts` both print it as a `TimeSpan` (`45s`, `20m`, `1h5m`).
    public static func age(of metrics: HostMetrics, now: Date) -> TimeSpan {
        let seconds = now.timeIntervalSince(metrics.sampledAt)
        guard seconds.isFinite, seconds > 0 else { return TimeSpan(seconds: 0) }
        return TimeSpan(seconds: seconds >= 1e15 ? Int(1e15) : Int(seconds))
    }
}
