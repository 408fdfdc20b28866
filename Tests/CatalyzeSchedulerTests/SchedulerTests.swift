import CatalyzeCore
import Foundation
import Testing
@testable import CatalyzeScheduler

@Suite struct SchedulerTests {
    let example = WorkedExample.self

    @Test func workedExamplePlacesAppsApart() throws {
        let result = try Scheduler.place(
            [example.app(1), example.app(2)], on: example.hosts, now: example.now, explain: true)
        #expect(result.assignments.map(\.hostID) == ["h-b", "h-a"])
        #expect(result.assignments.map(\.decision) == [.placed, .placed])
        let first = try #require(result.trace?.steps.first)
        #expect(first.candidates.map(\.hostID) == ["h-b", "h-a", "h-c", "h-d", "h-e"])
        let bids = first.candidates.compactMap { $0.bid.map { Fixed.format($0.total) } }
        #expect(bids == ["0.600", "0.530"])
        #expect(first.candidates[0].bid?.weighted.map { Fixed.format($0) } == ["0.090", "0.210", "0.150", "0.150"])
        #expect(first.candidates[1].bid?.weighted.map { Fixed.format($0) } == ["0.180", "0.150", "0.100", "0.100"])
        #expect(first.candidates[1].outcome.description == "lost by 0.070")
        #expect(first.candidates[2].outcome == .filtered(.unhealthy("under-assessment")))
        #expect(first.candidates[3].outcome == .filtered(.staleMetrics(age: TimeSpan(seconds: 1_200), maximum: TimeSpan(seconds: 600))))
        #expect(first.candidates[4].outcome == .filtered(.insufficient(resource: "vCPU", needed: "4", free: "2")))
        let second = try #require(result.trace?.steps.last)
        #expect(second.candidates.first?.outcome == .won)
        #expect(second.candidates.first?.hostID == "h-a")
        #expect(second.candidates.first { $0.hostID == "h-b" }?.outcome
            == .filtered(.siblingOnHost(group: "acme/primary/app", sibling: "primary/instance.app01")))
    }

    @Test func explainAndBothStrategiesAgree() throws {
        let demands = [example.app(1), example.app(2)]
        let explained = try Scheduler.place(demands, on: example.hosts, now: example.now, explain: true)
        let scanned = try Scheduler.place(demands, on: example.hosts, now: example.now, strategy: .scan)
        let indexed = try Scheduler.place(demands, on: example.hosts, now: example.now)
        #expect(explained.assignments == indexed.assignments)
        #expect(scanned.assignments == indexed.assignments)
        #expect(indexed.trace == nil)
    }

    @Test func thirdReplicaFailsNamingGroupRuleAndEveryHost() {
        let demands = [example.app(1), example.app(2), example.app(3)]
        #expect {
            try Scheduler.place(demands, on: example.hosts, now: example.now)
        } throws: { error in
            guard case .antiAffinityUnsatisfiable(let group, let demandID, let rule, let considered) = error as? PlacementError
            else { return false }
            let text = "\(error)"
            return group == "acme/primary/app" && demandID == "primary/instance.app03" && rule == .required
                && considered.map(\.hostID) == ["h-a", "h-b", "h-c", "h-d", "h-e"]
                && text.contains("group 'acme/primary/app'") && text.contains("rule 'required'")
                && text.contains("h-a: anti-affinity: already holds primary/instance.app02")
                && text.contains("h-b: anti-affinity: already holds primary/instance.app01")
                && text.contains("h-c: health: unhealthy (under-assessment)")
                && text.contains("h-d: metrics: 20m old")
                && text.contains("h-e: capacity: needs 4 vCPU, 2 free")
        }
    }

    @Test func preferredRulePlacesThirdReplicaWithStatedPenalty() throws {
        let policy = PlacementPolicy(antiAffinity: .preferred(penalty: 0.25))
        let demands = [example.app(1), example.app(2), example.app(3)]
        let result = try Scheduler.place(demands, on: example.hosts, policy: policy, now: example.now, explain: true)
        #expect(result.assignments.map(\.hostID) == ["h-b", "h-a", "h-b"])
        let third = try #require(result.trace?.steps.last)
        let rows = third.candidates.filter { $0.bid != nil }
        #expect(rows.map(\.hostID) == ["h-b", "h-a"])
        #expect(rows.map { Fixed.format($0.bid!.total) } == ["0.250", "0.180"])
        #expect(rows.map { Fixed.format($0.bid!.penalty) } == ["0.250", "0.250"])
        let indexed = try Scheduler.place(demands, on: example.hosts, policy: policy, now: example.now)
        #expect(indexed.assignments == result.assignments)
    }

    @Test func zoneAndRegionRestrictCandidates() throws {
        var demand = example.app(1)
        demand.zones = ["us-east-1a"]
        let result = try Scheduler.place([demand], on: example.hosts, now: example.now)
        #expect(result.assignments.first?.hostID == "h-a")
        demand.region = "eu-west-1"
        #expect(throws: PlacementError.self) { try Scheduler.place([demand], on: example.hosts, now: example.now) }
    }

    @Test func rejectsDuplicateIdsAndBadPolicy() {
        #expect(throws: PlacementError.duplicateDemand("primary/instance.app01")) {
            try Scheduler.place([example.app(1), example.app(1)], on: example.hosts, now: example.now)
        }
        #expect(throws: PlacementError.duplicateHost("h-a")) {
            try Scheduler.place([example.app(1)], on: example.hosts + [example.hosts[0]], now: example.now)
        }
        var negative = example.app(1)
        negative.size.vCPU = -2
        #expect(throws: PlacementError.negativeSize("primary/instance.app01")) {
            try Scheduler.place([negative], on: example.hosts, now: example.now)
        }
        let bad = PlacementPolicy(weights: BidWeights(cpuHeadroom: -1))
        #expect(throws: PlacementError.self) { try Scheduler.place([example.app(1)], on: example.hosts, policy: bad, now: example.now) }
    }
}
