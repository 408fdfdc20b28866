import CatalyzeCore
import CatalyzeDrivers
import CatalyzeExecutor
import CatalyzeModel
import Foundation
import Testing
@testable import CatalyzeCLI

/// The reminders and JSON lines of `ProgressPrinter`, driven by explicit instants (no timer, no
/// sleeping): the binary's own timer is exercised by `WaitingEndToEndTests`.
@Suite struct ProgressPrinterTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        func add(_ line: String) { lock.lock(); stored.append(line); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return stored }
    }

    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let db01 = ResourceAddress(region: "primary", kind: .instance, name: "db01")
    let app01 = ResourceAddress(region: "primary", kind: .instance, name: "app01")

    @Test func aRunningActionIsRemindedOncePerIntervalUntilItEnds() {
        let lines = Lines()
        let printer = ProgressPrinter(
            json: false, terminal: Terminal(stdoutIsTTY: false, stdinIsTTY: false, color: false), interval: 10, now: start,
            write: { lines.add($0) })
        printer.handle(.started(address: db01, operation: .create), now: start)
        printer.handle(.started(address: app01, operation: .delete), now: start.addingTimeInterval(5))
        for second in [1, 9, 10, 11, 14, 15, 20, 25, 29] { printer.tick(now: start.addingTimeInterval(Double(second))) }
        printer.handle(.finished(address: app01, operation: .delete, cloudID: "i-1", seconds: 25), now: start.addingTimeInterval(30))
        // app01 finished at 30 s: no reminder for it afterwards; db01's 30 s one comes at 31 s.
        printer.tick(now: start.addingTimeInterval(31))
        let reminders = lines.all.filter { $0.contains("still") }
        #expect(reminders == [
            "[ 10.0s] primary/instance.db01: still creating… (10s elapsed)",
            "[ 15.0s] primary/instance.app01: still deleting… (10s elapsed)",
            "[ 20.0s] primary/instance.db01: still creating… (20s elapsed)",
            "[ 25.0s] primary/instance.app01: still deleting… (20s elapsed)",
            "[ 31.0s] primary/instance.db01: still creating… (30s elapsed)",
        ])
        #expect(lines.all.contains("[ 30.0s] primary/instance.app01: deleted (i-1) after 25.0s"))
    }

    /// The executor restarts a throttled action without ending it (no finished or failed event): its
    /// reminders keep counting from the first start instead of beginning again at one interval.
    @Test func anActionRestartedAfterThrottlingKeepsCounting() {
        let lines = Lines()
        let printer = ProgressPrinter(
            json: false, terminal: Terminal(stdoutIsTTY: false, stdinIsTTY: false, color: false), interval: 1, now: start,
            write: { lines.add($0) })
        printer.handle(.started(address: db01, operation: .create), now: start)
        for second in 1...3 { printer.tick(now: start.addingTimeInterval(Double(second))) }
        printer.handle(.throttled(parallelism: 2), now: start.addingTimeInterval(3.5))
        printer.handle(.started(address: db01, operation: .create), now: start.addingTimeInterval(3.5))
        for second in 4...6 { printer.tick(now: start.addingTimeInterval(Double(second))) }
        let seconds = lines.all.filter { $0.contains("still") }.map { $0.split(separator: "(")[1].prefix(while: \.isNumber) }
        #expect(seconds == ["1", "2", "3", "4", "5", "6"])
        // Once it ended, the same address starting anew counts from the start again.
        printer.handle(.finished(address: db01, operation: .create, cloudID: "srv-1", seconds: 6.5), now: start.addingTimeInterval(6.5))
        printer.handle(.started(address: db01, operation: .create), now: start.addingTimeInterval(7))
        printer.tick(now: start.addingTimeInterval(8))
        #expect(lines.all.last == "[  8.0s] primary/instance.db01: still creating… (1s elapsed)")
    }

    @Test func jsonModeHasNoRemindersAndNumbersAreNumbers() throws {
        let lines = Lines()
        let printer = ProgressPrinter(
            json: true, terminal: Terminal(stdoutIsTTY: false, stdinIsTTY: false, color: false), interval: 1, now: start,
            write: { lines.add($0) })
        printer.handle(.started(address: db01, operation: .create), now: start)
        printer.tick(now: start.addingTimeInterval(5))
        printer.handle(.finished(address: db01, operation: .create, cloudID: "srv-1", seconds: 4.25), now: start.addingTimeInterval(5))
        printer.handle(.throttled(parallelism: 4), now: start.addingTimeInterval(6))
        #expect(lines.all.count == 3)
        let objects = try lines.all.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.allSatisfy { $0["format_version"] as? Int == JSONFormat.version })
        #expect(objects[1]["seconds"] as? Double == 4.25 && objects[1]["cloud_id"] as? String == "srv-1")
        #expect(objects[2]["parallelism"] as? Int == 4 && objects[2]["address"] == nil)
    }

    @Test func versionNamesTheReleaseAndTheCommit() {
        #expect(BuildInfo.version.hasPrefix("\(Release.version) (commit "))
        #expect(!BuildInfo.commit.isEmpty)
    }
}
