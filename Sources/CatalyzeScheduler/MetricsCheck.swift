import CatalyzeCore
import Foundation

/// Feasibility: the host reported utilisation recently enough, with percents that make sense.
struct MetricsCheck {
    /// The oldest acceptable sample.
    let maxAge: TimeSpan
    /// The instant placement runs at.
    let now: Date

    /// Nil when the host's metrics are present, within 0–100 and at most `maxAge` old.
    func rejection(of host: FleetHost) -> Rejection? {
        guard let metrics = host.metrics else { return .noMetrics }
        let valid = (0...100).contains(metrics.cpuPercent) && (0...100).contains(metrics.memoryPercent)
        guard valid else { return .invalidMetrics(cpuPercent: metrics.cpuPercent, memoryPercent: metrics.memoryPercent) }
        let age = Self.age(of: metrics, now: now)
        return age > maxAge ? .staleMetrics(age: age, maximum: maxAge) : nil
    }

    /// Whole seconds between the sample and `now` (zero for a sample from the future: clock skew).
    static func age(of metrics: HostMetrics, now: Date) -> TimeSpan {
        let seconds = now.timeIntervalSince(metrics.sampledAt)
        guard seconds.isFinite, seconds > 0 else { return TimeSpan(seconds: 0) }
        return TimeSpan(seconds: seconds >= 1e15 ? Int(1e15) : Int(seconds))
    }
}
