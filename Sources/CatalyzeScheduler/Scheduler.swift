import CatalyzeCore
import Foundation

/// Decides which physical host each container runs on: feasibility checkers, then bids, then the winner.
///
/// Pure: no I/O, no clock (pass `now`), no randomness. Same input, same output.
public enum Scheduler {
    /// How the winner is found. Both give the same answer; `indexed` is the fast one.
    public enum Strategy: Sendable, Hashable {
        /// Per size class, a heap of eligible hosts keyed by bid (the default).
        case indexed
        /// Every host bids for every container (the reference; `explain` always uses it).
        case scan
    }

    /// Places `demands` on `hosts`, in the order given, keeping lockfile placements that still stand.
    ///
    /// - Parameters:
    ///   - demands: the containers, placed in this order (ids unique).
    ///   - hosts: the fleet (ids unique); `residents` are what already runs there.
    ///   - existing: the lockfile's placements, demand id → host id. Kept unless the host is gone,
    ///     unhealthy, in another region/zone than the demand now wants, or the demand is in `replacing`.
    ///   - replacing: demand ids to place afresh even though their host stands; their old slot is
    ///     released first, so it never counts against them.
    ///   - policy: weights, minimums, anti-affinity rule, metric age.
    ///   - now: the instant metrics' ages are measured from.
    ///   - explain: record every host's bid for every container (uses the `scan` strategy).
    ///   - strategy: `indexed` (default) or `scan`.
    /// - Throws: `PlacementError`, naming the group, the rule and every host's reason when a container cannot be placed.
    public static func place(
        _ demands: [Demand], on hosts: [FleetHost], existing: [String: String] = [:], replacing: Set<String> = [],
        policy: PlacementPolicy = .standard, now: Date, explain: Bool = false, strategy: Strategy = .indexed
    ) throws(PlacementError) -> PlacementResult {
        var run = try PlacementRun(demands: demands, hosts: hosts, policy: policy, now: now)
        run.settleExisting(existing, replacing: replacing)
        var assignments: [Assignment] = []
        assignments.reserveCapacity(demands.count)
        var steps: [PlacementStep] = []
        let useScan = explain || strategy == .scan
        for i in demands.indices {
            let demand = demands[i]
            if run.assigned[i] >= 0 {
                let kept = run.assignment(i, kept: true)
                assignments.append(kept)
                if explain {
                    steps.append(PlacementStep(
                        demandID: demand.id, group: demand.group, size: demand.size, hostID: kept.hostID,
                        decision: .kept, candidates: []))
                }
                continue
            }
            let need = Need(demand.size)
            let (region, zones) = run.place(of: i)
            var winner: Int?
            var candidates: [Candidate] = []
            if explain {
                (winner, candidates) = run.explain(i, need: need, region: region, zones: zones)
            } else if useScan {
                winner = run.scanWinner(i, need: need, region: region, zones: zones)
            } else {
                winner = run.indexedWinner(i, need: need, region: region, zones: zones)
            }
            guard let h = winner else { throw failure(run, i, need: need, region: region, zones: zones) }
            run.commit(i, on: h, need: need)
            if !useScan { run.refreshClasses(for: h) }
            let assignment = run.assignment(i, kept: false)
            assignments.append(assignment)
            if explain {
                steps.append(PlacementStep(
                    demandID: demand.id, group: demand.group, size: demand.size, hostID: assignment.hostID,
                    decision: assignment.decision, candidates: candidates))
            }
        }
        return PlacementResult(assignments: assignments, trace: explain ? PlacementTrace(policy: policy, steps: steps) : nil)
    }

    private static func failure(_ run: PlacementRun, _ i: Int, need: Need, region: Int32, zones: Int32) -> PlacementError {
        let demand = run.demands[i]
        let verdicts = run.verdicts(i, need: need, region: region, zones: zones)
        let blockedBySibling = verdicts.contains { if case .siblingOnHost = $0.reason { true } else { false } }
        if blockedBySibling {
            return .antiAffinityUnsatisfiable(
                group: demand.group, demandID: demand.id, rule: run.policy.antiAffinity, considered: verdicts)
        }
        return .noEligibleHost(demandID: demand.id, group: demand.group, considered: verdicts)
    }
}
