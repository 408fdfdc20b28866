import CatalyzeCore
import Foundation
import CatalyzeTestSupport
import Testing
@testable import CatalyzeScheduler

/// The explain trace: the human table a person can recompute, and the JSON view of the same value.
@Suite struct PlacementTraceTests {
    let example = WorkedExample.self

    func workedTrace() throws -> PlacementTrace {
        let result = try Scheduler.place([example.app(1), example.app(2)], on: example.hosts, now: example.now, explain: true)
        return try #require(result.trace)
    }

    @Test func tableShowsEveryNumberOfTheWorkedExample() throws {
        let table = try workedTrace().renderTable()
        let lines = table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "bid = 0.3×(1 − cpu%/100) + 0.3×(1 − mem%/100) + 0.2×(vCPU left/vCPU) + 0.2×(mem left/mem)")
        func cells(_ host: String) -> [String] {
            (lines.first { $0.hasPrefix("  \(host) ") } ?? "").split(separator: " ").map(String.init)
        }
        #expect(cells("h-b") == ["h-b", "70.0", "30.0", "1m", "12/16", "48GiB/64GiB", "0.090", "0.210", "0.150", "0.150", "0.000", "0.600", "won"])
        #expect(cells("h-a") == ["h-a", "40.0", "50.0", "1m", "8/16", "32GiB/64GiB", "0.180", "0.150", "0.100", "0.100", "0.000", "0.530", "lost", "by", "0.070"])
        // A filtered host still shows what would be left, but no bid.
        #expect(cells("h-c").prefix(13) == ["h-c", "10.0", "10.0", "1m", "12/16", "48GiB/64GiB", "-", "-", "-", "-", "-", "-", "filtered:"])
        #expect(table.contains("filtered: health: unhealthy (under-assessment)"))
        #expect(table.contains("filtered: metrics: 20m old, older than maxMetricAge 10m"))
        #expect(table.contains("filtered: capacity: needs 4 vCPU, 2 free"))
        #expect(table.contains("filtered: anti-affinity: already holds primary/instance.app01 of group acme/primary/app"))
        #expect(table.contains("primary/instance.app02 (group acme/primary/app; needs 4 vCPU, 16GiB mem, 0B disk) → h-a [placed]"))
    }

    /// A reader's recomputation from the printed table alone: parse each bidding row, redo the
    /// weighted sum from the header's weights and the row's numbers, and find the same winner.
    @Test func winnerCanBeRecomputedFromThePrintedTable() throws {
        let table = try workedTrace().renderTable()
        var recomputed: [(host: String, bid: Double)] = []
        for line in table.split(separator: "\n") where line.hasPrefix("  h-") {
            let c = line.split(separator: " ").map(String.init)
            guard c[6] != "-", let cpu = Double(c[1]), let mem = Double(c[2]) else { continue }
            let vcpu = c[4].split(separator: "/").compactMap { Double($0) }
            let memory = c[5].split(separator: "/").compactMap { Double($0.dropLast(3)) }
            let bid = 0.3 * (1 - cpu / 100) + 0.3 * (1 - mem / 100) + 0.2 * vcpu[0] / vcpu[1] + 0.2 * memory[0] / memory[1]
            #expect(abs(bid - Double(c[11])!) < 0.0005, "\(line)")
            recomputed.append((c[0], bid))
            if recomputed.count == 2 { break }
        }
        #expect(recomputed.max { $0.bid < $1.bid }?.host == "h-b")
    }

    /// The man page text (PLACEMENT.md) shows exactly what the code prints.
    @Test func manPageTableIsTheRenderedTable() throws {
        let url = repositoryRoot.appendingPathComponent("Sources/CatalyzeScheduler/PLACEMENT.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let marker = "The explain table for `app01` and `app02`:\n\n```\n"
        let start = try #require(text.range(of: marker)).upperBound
        let end = try #require(text.range(of: "```", range: start..<text.endIndex)).lowerBound
        let rendered = try workedTrace().renderTable()
        #expect(String(text[start..<end]) == rendered, "rendered:\n\(rendered)")
    }

    /// The man page's failure message is the one the code gives for `app03`.
    @Test func manPageErrorIsTheRealError() throws {
        let url = repositoryRoot.appendingPathComponent("Sources/CatalyzeScheduler/PLACEMENT.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let marker = "every host with its reason:\n\n```\n"
        let start = try #require(text.range(of: marker)).upperBound
        let end = try #require(text.range(of: "\n```", range: start..<text.endIndex)).lowerBound
        let error = #expect(throws: PlacementError.self) {
            try Scheduler.place((1...3).map(example.app), on: example.hosts, now: example.now)
        }
        #expect(String(text[start..<end]) == error.map { "\($0)" })
    }

    @Test func jsonIsTheSameValue() throws {
        let trace = try workedTrace()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(trace)
        #expect(try JSONDecoder().decode(PlacementTrace.self, from: data) == trace)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"hostID\":\"h-b\""))
        #expect(text.contains("\"won\":{}"))
        #expect(try encoder.encode(try workedTrace()) == data)
    }

    @Test func keptStepsAndPenaltyAppearInTheTable() throws {
        let policy = PlacementPolicy(antiAffinity: .preferred(penalty: 0.25))
        let result = try Scheduler.place(
            (1...3).map(example.app), on: example.hosts, existing: ["primary/instance.app01": "h-b"], policy: policy,
            now: example.now, explain: true)
        let table = try #require(result.trace).renderTable()
        #expect(table.contains(" − 0.25×siblings"))
        #expect(table.contains("→ h-b [kept]\n  kept where the lockfile has it; no bids taken"))
        #expect(table.contains("0.250  0.180  lost by 0.070"))
    }
}
