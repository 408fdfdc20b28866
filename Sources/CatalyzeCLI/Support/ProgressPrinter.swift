import CatalyzeCore
import CatalyzeDrivers
import CatalyzeExecutor
import Foundation

/// Prints executor events: plain lines for people (coloured on a terminal), one JSON object per
/// line with `--json`.
final class ProgressPrinter: @unchecked Sendable {
    private let json: Bool
    private let terminal: Terminal
    private let lock = NSLock()
    private let started = Date()

    init(json: Bool, terminal: Terminal) {
        self.json = json
        self.terminal = terminal
    }

    func handle(_ event: ExecutionEvent) {
        lock.lock()
        defer { lock.unlock() }
        if json {
            print(jsonLine(event))
            flushOutput()
            return
        }
        let elapsed = String(format: "[%5.1fs]", Date().timeIntervalSince(started))
        switch event {
        case let .started(address, operation):
            print("\(terminal.paint(elapsed, .dim)) \(address): \(verb(operation, done: false))...")
        case let .finished(address, operation, cloudID, seconds):
            let id = cloudID.map { " (\($0))" } ?? ""
            print("\(terminal.paint(elapsed, .dim)) \(address): \(terminal.paint(verb(operation, done: true), .green))\(id) after \(String(format: "%.1f", seconds))s")
        case let .failed(address, operation, message):
            print("\(terminal.paint(elapsed, .dim)) \(address): \(terminal.paint("\(operation.rawValue) failed", .red)): \(message)")
        case let .skipped(address, operation, reason):
            print("\(terminal.paint(elapsed, .dim)) \(address): \(operation.rawValue) skipped (\(reason))")
        case let .throttled(parallelism):
            print("\(terminal.paint(elapsed, .dim)) cloud is throttling: parallelism now \(parallelism)")
        }
        flushOutput()
    }

    private func verb(_ operation: CatalyzeDrivers.Operation, done: Bool) -> String {
        switch operation {
        case .create: done ? "created" : "creating"
        case .update: done ? "updated" : "updating"
        case .delete: done ? "deleted" : "deleting"
        }
    }

    private func jsonLine(_ event: ExecutionEvent) -> String {
        var object: [String: String] = ["format_version": "1"]
        switch event {
        case let .started(address, operation):
            object.merge(["type": "started", "address": address.description, "operation": operation.rawValue]) { $1 }
        case let .finished(address, operation, cloudID, seconds):
            object.merge(["type": "finished", "address": address.description, "operation": operation.rawValue,
                          "cloud_id": cloudID ?? "", "seconds": String(format: "%.3f", seconds)]) { $1 }
        case let .failed(address, operation, message):
            object.merge(["type": "failed", "address": address.description, "operation": operation.rawValue,
                          "message": message]) { $1 }
        case let .skipped(address, operation, reason):
            object.merge(["type": "skipped", "address": address.description, "operation": operation.rawValue,
                          "reason": reason]) { $1 }
        case let .throttled(parallelism):
            object.merge(["type": "throttled", "parallelism": "\(parallelism)"]) { $1 }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(object)) ?? Data(), as: UTF8.self)
    }
}
