import CatalyzeCore
import Foundation
import Testing
@testable import CatalyzeScheduler

/// Lockfile placements: no churn, moves only for a reason, replacement never blocked by its own slot.
@Suite struct ExistingPlacementTests {
    let example = WorkedExample.self

    /// Three hosts that each fit exactly one more app, each already holding one member of the group.
    func fullFleet() -> [FleetHost] {
        (1...3).map { n in
            FleetHost(
                id: "h\(n)", region: "us-east-1", capacity: example.size(8, 32),
                residents: [Resident(id: "primary/instance.app0\(n)", size: example.size(4, 16))],
                metrics: HostMetrics(cpuPercent: Double(10 * n), memoryPercent: 20, sampledAt: example.fresh))
        }
    }

    var lockfile: [String: String] {
        ["primary/instance.app01": "h1", "primary/instance.app02": "h2", "primary/instance.app03": "h3"]
    }

    @Test func keptPlacementsDoNotMoveEvenWhenAnotherHostBidsHigher() throws {
        var hosts = fullFleet()
        hosts.append(FleetHost(
            id: "h0", region: "us-east-1", capacity: example.size(64, 256),
            metrics: HostMetrics(cpuPercent: 0, memoryPercent: 0, sampledAt: example.fresh)))
        let result = try Scheduler.place((1...3).map(example.app), on: hosts, existing: lockfile, now: example.now)
        #expect(result.assignments.map(\.hostID) == ["h1", "h2", "h3"])
        #expect(result.assignments.allSatisfy { $0.decision == .kept })
    }

    @Test func replacingOneContainerWhenEveryHostHoldsASiblingReusesItsOwnSlot() throws {
        let result = try Scheduler.place(
            (1...3).map(example.app), on: fullFleet(), existing: lockfile, replacing: ["primary/instance.app02"],
            now: example.now, explain: true)
        #expect(result.assignments[1] == Assignment(
            demandID: "primary/instance.app02", hostID: "h2", decision: .moved(from: "h2", reason: .replaceRequested)))
        let step = try #require(result.trace?.steps[1])
        #expect(step.candidates.first { $0.hostID == "h2" }?.freeAfter == example.size(4, 16))
        #expect(step.candidates.first { $0.hostID == "h1" }?.outcome
            == .filtered(.siblingOnHost(group: "acme/primary/app", sibling: "primary/instance.app01")))
    }

    @Test func containerOnAGoneOrUnhealthyHostMoves() throws {
        var hosts = fullFleet()
        hosts[0].health = .unhealthy("permanent-failure")
        for (id, cpu) in [("h4", 50.0), ("h5", 60.0)] {
            hosts.append(FleetHost(
                id: id, region: "us-east-1", capacity: example.size(8, 32),
                metrics: HostMetrics(cpuPercent: cpu, memoryPercent: 50, sampledAt: example.fresh)))
        }
        var existing = lockfile
        existing["primary/instance.app04"] = "h-retired"
        let result = try Scheduler.place((1...4).map(example.app), on: hosts, existing: existing, now: example.now)
        #expect(result.assignments.map(\.decision) == [
            .moved(from: "h1", reason: .hostUnhealthy("permanent-failure")), .kept, .kept,
            .moved(from: "h-retired", reason: .hostGone),
        ])
        // app01 cannot go back to h1 (unhealthy) nor join a sibling: h4 bids higher than h5; app04 gets h5.
        #expect(result.assignments.map(\.hostID) == ["h4", "h2", "h3", "h5"])
    }

    @Test func keptSiblingsSharingAHostAreSeparatedUnderRequired() throws {
        let hosts = fullFleet().map { host -> FleetHost in
            var copy = host
            copy.residents = []
            return copy
        }
        let existing = ["primary/instance.app01": "h1", "primary/instance.app02": "h1"]
        let result = try Scheduler.place((1...2).map(example.app), on: hosts, existing: existing, now: example.now)
        #expect(result.assignments[0].decision == .kept)
        #expect(result.assignments[1].decision == .moved(from: "h1", reason: .sharedWithSibling("primary/instance.app01")))
        #expect(result.assignments[1].hostID != "h1")
        let preferred = PlacementPolicy(antiAffinity: .preferred(penalty: 0.1))
        let relaxed = try Scheduler.place((1...2).map(example.app), on: hosts, existing: existing, policy: preferred, now: example.now)
        #expect(relaxed.assignments.map(\.decision) == [.kept, .kept])
    }

    @Test func keptContainerMissingFromResidentsStillCountsAgainstCapacity() throws {
        let hosts = fullFleet().map { host -> FleetHost in
            var copy = host
            copy.residents = []
            return copy
        }
        // app01 is kept on h1 (not listed as a resident); h1 then has 4 vCPU left, and app05 (8 vCPU) cannot fit there.
        var big = example.app(5)
        big.group = "acme/primary/db"
        big.size = example.size(8, 16)
        let result = try Scheduler.place(
            [example.app(1), big], on: hosts, existing: ["primary/instance.app01": "h1"], now: example.now)
        #expect(result.assignments[1].hostID != "h1")
    }
}
