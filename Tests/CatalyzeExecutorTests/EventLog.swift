import CatalyzeExecutor
import CatalyzeModel
import CatalyzeDrivers

/// The executor's events and the driver's calls in one order, as they happened.
final class EventLog: Sendable {
    /// One thing that happened.
    enum Entry: Sendable {
        case event(ExecutionEvent)
        case call(ResourceAddress)
    }

    private let entries = Mutex<[Entry]>([])

    /// Appends `entry`; returns its place in the log.
    @discardableResult
    func record(_ entry: Entry) -> Int {
        entries.withLock { entries in
            entries.append(entry)
            return entries.count - 1
        }
    }

    /// Everything recorded, in order.
    var all: [Entry] { entries.withLock { $0 } }

    /// The executor's events, in order.
    var events: [ExecutionEvent] {
        all.compactMap { if case .event(let event) = $0 { event } else { nil } }
    }

    /// `(address, message)` of each failure event.
    var failures: [(ResourceAddress, String)] {
        events.compactMap { if case let .failed(address, _, message) = $0 { (address, message) } else { nil } }
    }

    /// `address → reason` of each skip event.
    var skips: [ResourceAddress: String] {
        Dictionary(events.compactMap { if case let .skipped(address, _, reason) = $0 { (address, reason) } else { nil } },
                   uniquingKeysWith: { first, _ in first })
    }

    /// The parallelism each throttle event announced, in order.
    var throttles: [Int] {
        events.compactMap { if case let .throttled(parallelism) = $0 { parallelism } else { nil } }
    }
}
