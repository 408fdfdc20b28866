import CatalyzeCore
import Foundation
import Testing
@testable import CatalyzeScheduler

/// Properties over random fleets: anti-affinity never broken, capacity never exceeded, no churn,
/// the indexed strategy picks exactly the full scan's winners, same input → same output.
@Suite struct PlacementPropertyTests {
    static let seeds: [UInt64] = Array(1...400)

    @Test func indexedScanAndExplainAgreeOnEveryRandomFleet() {
        var successes = 0
        for seed in Self.seeds {
            let problem = RandomFleet(seed: seed)
            let indexed = problem.place()
            #expect(indexed == problem.place(strategy: .scan), "seed \(seed)")
            let explained = problem.place(explain: true)
            #expect(indexed.map(\.assignments) == explained.map(\.assignments), "seed \(seed)")
            if case .success = indexed { successes += 1 }
        }
        // Enough of the random problems are solvable for the invariants below to bite.
        #expect(successes >= Self.seeds.count / 4)
    }

    @Test func bigFleetsAgreeBetweenStrategies() {
        for seed in UInt64(1_000)...1_011 {
            let problem = RandomFleet(seed: seed, hostCount: 150...300, groupCount: 150...400)
            let indexed = problem.place()
            #expect(indexed == problem.place(strategy: .scan), "seed \(seed)")
        }
    }

    @Test func sameInputSameOutputWhateverTheHostOrder() {
        for seed in Self.seeds {
            let problem = RandomFleet(seed: seed)
            let first = problem.place()
            #expect(first == problem.place(), "seed \(seed)")
            #expect(first == problem.place(hosts: problem.hosts.reversed()), "seed \(seed)")
        }
    }

    @Test func requiredAntiAffinityIsNeverBroken() {
        for seed in Self.seeds {
            var problem = RandomFleet(seed: seed)
            problem.policy.antiAffinity = .required
            guard case .success(let result) = problem.place() else { continue }
            var hostsByGroup: [String: [String]] = [:]
            for (demand, assignment) in zip(problem.demands, result.assignments) {
                hostsByGroup[demand.group, default: []].append(assignment.hostID)
            }
            for (group, hosts) in hostsByGroup {
                #expect(Set(hosts).count == hosts.count, "seed \(seed): group \(group) shares a host: \(hosts)")
            }
        }
    }

    @Test func newPlacementsRespectEveryChecker() {
        for seed in Self.seeds {
            let problem = RandomFleet(seed: seed)
            guard case .success(let result) = problem.place() else { continue }
            let byID = Dictionary(uniqueKeysWithValues: problem.hosts.map { ($0.id, $0) })
            var used: [String: Resources] = [:]
            for host in problem.hosts {
                for resident in host.residents {
                    let index = problem.demands.firstIndex { $0.id == resident.id }
                    if let index, case .moved(let from, _) = result.assignments[index].decision, from == host.id { continue }
                    used[host.id, default: .zero] = used[host.id, default: .zero] + resident.size
                }
            }
            var received: Set<String> = []
            for (demand, assignment) in zip(problem.demands, result.assignments) {
                let host = try! #require(byID[assignment.hostID])
                #expect(demand.id == assignment.demandID)
                if assignment.decision == .kept {
                    if !host.residents.contains(where: { $0.id == demand.id }) {
                        used[host.id, default: .zero] = used[host.id, default: .zero] + demand.size
                    }
                    continue
                }
                received.insert(host.id)
                used[host.id, default: .zero] = used[host.id, default: .zero] + demand.size
                #expect(host.health == .healthy && host.region == demand.region, "seed \(seed)")
                #expect(demand.zones.isEmpty || demand.zones.contains(host.zone ?? ""), "seed \(seed)")
                let metrics = try! #require(host.metrics)
                #expect(problem.now.timeIntervalSince(metrics.sampledAt) <= Double(problem.policy.maxMetricAge.seconds))
                #expect(100 - metrics.cpuPercent >= problem.policy.minimums.cpuHeadroomPercent, "seed \(seed)")
            }
            for id in received {
                let (total, capacity) = (used[id]!, byID[id]!.capacity)
                #expect(total.vCPU <= capacity.vCPU && total.memory <= capacity.memory && total.disk <= capacity.disk,
                        "seed \(seed): host \(id) over capacity: \(total) of \(capacity)")
            }
        }
    }

    @Test func lockfilePlacementsStayPutUnlessTheirHostFails() {
        for seed in Self.seeds {
            let problem = RandomFleet(seed: seed)
            guard case .success(let result) = problem.place() else { continue }
            let byID = Dictionary(uniqueKeysWithValues: problem.hosts.map { ($0.id, $0) })
            for (demand, assignment) in zip(problem.demands, result.assignments) {
                guard let old = problem.existing[demand.id] else {
                    #expect(assignment.decision == .placed)
                    continue
                }
                guard let host = byID[old] else {
                    #expect(assignment.decision == .moved(from: old, reason: .hostGone), "seed \(seed)")
                    continue
                }
                let stands = host.health == .healthy && host.region == demand.region
                    && (demand.zones.isEmpty || demand.zones.contains(host.zone ?? "")) && !problem.replacing.contains(demand.id)
                if stands, case .moved(_, .sharedWithSibling) = assignment.decision { continue }
                #expect((assignment.decision == .kept) == stands, "seed \(seed): \(demand.id) \(assignment.decision)")
                if stands { #expect(assignment.hostID == old) }
            }
        }
    }

    @Test func everyExplainedBidCanBeRecomputedFromItsRow() {
        for seed in Self.seeds {
            let problem = RandomFleet(seed: seed)
            guard case .success(let result) = problem.place(explain: true), let trace = result.trace else { continue }
            let w = problem.policy.weights
            for step in trace.steps where !step.candidates.isEmpty {
                let bidding = step.candidates.filter { $0.bid != nil }
                let winner = try! #require(bidding.first)
                #expect(winner.outcome == .won && winner.hostID == step.hostID)
                for row in bidding {
                    let bid = row.bid!
                    let free = row.freeAfter!
                    #expect(bid.cpuHeadroom == 1 - row.cpuPercent! / 100)
                    #expect(bid.memoryHeadroom == 1 - row.memoryPercent! / 100)
                    #expect(bid.freeVCPU == Double(free.vCPU) / Double(row.capacity.vCPU))
                    #expect(bid.freeMemory == Double(free.memory.bytes) / Double(row.capacity.memory.bytes))
                    let sum = w.cpuHeadroom * bid.cpuHeadroom + w.memoryHeadroom * bid.memoryHeadroom
                        + w.freeVCPU * bid.freeVCPU + w.freeMemory * bid.freeMemory - bid.penalty
                    #expect(abs(sum - bid.total) < 1e-12)
                    #expect(bid.total <= winner.bid!.total)
                    if case .lost(let margin) = row.outcome { #expect(margin == winner.bid!.total - bid.total) }
                }
            }
        }
    }
}
