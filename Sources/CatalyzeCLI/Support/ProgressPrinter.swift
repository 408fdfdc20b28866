import ArgumentParser
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeExecutor
import CatalyzeModel
import Foundation

/// Prints executor events: plain lines for people (coloured on a terminal), one JSON object per
/// line with `--json`. In plain mode an action still running prints `still creating… (10s
/// elapsed)` every `interval`, on a terminal and in a CI log alike, so a long build is seen to be
/// alive; `--json` gets events only.
final class ProgressPrinter: @unchecked Sendable {
    private let json: Bool
    private let terminal: Terminal
    private let interval: Int
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private let started: Date
    /// Actions in flight: their operation, when they started, and how many reminders went out.
    private var running: [ResourceAddress: (operation: CatalyzeModel.Operation, since: Date, reminders: Int)] = [:]
    private var timer: DispatchSourceTimer?

    /// The reminder interval when `CATALYZE_PROGRESS_INTERVAL` does not set one.
    static let defaultInterval = 10

    /// `interval` in whole seconds (at least 1); `write` prints one line (standard output by default).
    init(
        json: Bool, terminal: Terminal, interval: Int = ProgressPrinter.defaultInterval, now: Date = Date(),
        write: @escaping @Sendable (String) -> Void = { print($0); flushOutput() }
    ) {
        self.json = json
        self.terminal = terminal
        self.interval = max(1, interval)
        self.started = now
        self.write = write
    }

    /// The interval from `CATALYZE_PROGRESS_INTERVAL` (a duration such as `30s`), else the default.
    static func interval(environment: [String: String]) throws -> Int {
        guard let text = environment["CATALYZE_PROGRESS_INTERVAL"], !text.isEmpty else { return defaultInterval }
        guard let span = TimeSpan(parsing: text), span.seconds >= 1 else {
            printError("error: CATALYZE_PROGRESS_INTERVAL '\(text)' is not a duration of at least one second, such as 10s or 1m")
            throw ExitCode.failure
        }
        return span.seconds
    }

    /// Starts the once-a-second check for reminders (nothing in `--json` mode); `stop` ends it.
    func start() {
        guard !json else { return }
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 1, repeating: 1, leeway: .milliseconds(100))
        timer.setEventHandler { [weak self] in self?.tick(now: Date()) }
        timer.resume()
        lock.lock()
        self.timer = timer
        lock.unlock()
    }

    /// Stops the reminders.
    func stop() {
        lock.lock()
        let timer = self.timer
        self.timer = nil
        lock.unlock()
        timer?.cancel()
    }

    /// Prints a reminder for each action that has run another whole `interval` since its last one.
    func tick(now: Date) {
        lock.lock()
        defer { lock.unlock() }
        guard !json else { return }
        for address in running.keys.sorted(by: { $0.description < $1.description }) {
            guard let action = running[address] else { continue }
            let elapsed = Int(now.timeIntervalSince(action.since))
            let due = elapsed / interval
            guard due > action.reminders else { continue }
            running[address]?.reminders = due
            let verb = verb(action.operation, done: false)
            write("\(stamp(now)) \(address): still \(verb)… (\(due * interval)s elapsed)")
        }
    }

    func handle(_ event: ExecutionEvent, now: Date = Date()) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case let .started(address, operation):
            // An action the executor restarts after throttling keeps its first start (no event ended
            // it): the reminders go on counting the time the user has been waiting for it.
            if running[address]?.operation != operation { running[address] = (operation, now, 0) }
        case let .finished(address, _, _, _), let .failed(address, _, _), let .skipped(address, _, _): running[address] = nil
        case .throttled: break
        }
        if json {
            write(Self.jsonLine(event))
            return
        }
        let elapsed = stamp(now)
        switch event {
        case let .started(address, operation):
            write("\(elapsed) \(address): \(verb(operation, done: false))...")
        case let .finished(address, operation, cloudID, seconds):
            let id = cloudID.map { " (\($0))" } ?? ""
            write("\(elapsed) \(address): \(terminal.paint(verb(operation, done: true), .green))\(id) after \(String(format: "%.1f", seconds))s")
        case let .failed(address, operation, message):
            write("\(elapsed) \(address): \(terminal.paint("\(operation.rawValue) failed", .red)): \(message)")
        case let .skipped(address, operation, reason):
            write("\(elapsed) \(address): \(operation.rawValue) skipped (\(reason))")
        case let .throttled(parallelism):
            write("\(elapsed) cloud is throttling: parallelism now \(parallelism)")
        }
    }

    private func stamp(_ now: Date) -> String {
        terminal.paint(String(format: "[%5.1fs]", now.timeIntervalSince(started)), .dim)
    }

    private func verb(_ operation: CatalyzeModel.Operation, done: Bool) -> String {
        switch operation {
        case .create: done ? "created" : "creating"
        case .update: done ? "updated" : "updating"
        case .delete: done ? "deleted" : "deleting"
        }
    }

    /// One event as a JSON line (`man catalyze-json`, apply events): numbers are numbers.
    static func jsonLine(_ event: ExecutionEvent) -> String {
        var line = ApplyEventJSON(type: "", address: nil, operation: nil)
        switch event {
        case let .started(address, operation):
            line = ApplyEventJSON(type: "started", address: address.description, operation: operation.rawValue)
        case let .finished(address, operation, cloudID, seconds):
            line = ApplyEventJSON(type: "finished", address: address.description, operation: operation.rawValue)
            line.cloud_id = cloudID
            line.seconds = (seconds * 1000).rounded() / 1000
        case let .failed(address, operation, message):
            line = ApplyEventJSON(type: "failed", address: address.description, operation: operation.rawValue)
            line.message = message
        case let .skipped(address, operation, reason):
            line = ApplyEventJSON(type: "skipped", address: address.description, operation: operation.rawValue)
            line.reason = reason
        case let .throttled(parallelism):
            line = ApplyEventJSON(type: "throttled", address: nil, operation: nil)
            line.parallelism = parallelism
        }
        return compactJSON(line)
    }
}

/// One `apply --json` / `destroy --json` event line. Absent fields are left out.
struct ApplyEventJSON: Encodable {
    var format_version = JSONFormat.version
    var type: String
    var address: String?
    var operation: String?
    var cloud_id: String?
    var seconds: Double?
    var message: String?
    var reason: String?
    var parallelism: Int?
}

/// The `apply --json` / `destroy --json` summary, the last line, whatever happened: counts of the
/// plan's actions by kind and of what the run did with them.
struct ApplySummaryJSON: Encodable {
    var format_version = JSONFormat.version
    var type = "summary"
    /// True when every action of the plan succeeded (an empty plan is complete).
    var complete: Bool
    var added: Int
    var changed: Int
    var destroyed: Int
    var succeeded: Int
    var failed: Int
    var skipped: Int
}

/// One line of key-sorted JSON.
func compactJSON<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
}
