import CatalyzeCore
import Testing
@testable import CatalyzeScheduler

@Suite struct PlacementPolicyTests {
    @Test func defaultsMatchTheManifestDefaults() {
        let policy = PlacementPolicy.standard
        #expect(policy.weights.named.map(\.1) == [0.3, 0.3, 0.2, 0.2])
        #expect(policy.minimums.named.map(\.1) == [10, 10, 0, 0])
        #expect(policy.antiAffinity == .required)
        #expect(policy.maxMetricAge == TimeSpan(seconds: 600))
        #expect(policy.problems.isEmpty)
    }

    @Test func reportsEveryBadNumberByManifestKey() {
        let policy = PlacementPolicy(
            weights: BidWeights(cpuHeadroom: -0.1, freeMemory: .nan),
            minimums: PlacementMinimums(freeVCPUPercent: 120), antiAffinity: .preferred(penalty: -1))
        #expect(policy.problems.count == 4)
        #expect(policy.problems.contains { $0.hasPrefix("weights.cpu must be") })
        #expect(policy.problems.contains { $0.hasPrefix("weights.freeMemory must be") })
        #expect(policy.problems.contains { $0.hasPrefix("minimums.freeVcpuPercent must be a percent") })
        #expect(policy.problems.contains { $0.hasPrefix("preferredPenalty must be") })
    }

    @Test func ruleDescriptionsStateThePenalty() {
        #expect(AntiAffinityRule.required.description == "required")
        #expect(AntiAffinityRule.preferred(penalty: 0.25).description == "preferred (penalty 0.250 per sibling)")
    }
}
