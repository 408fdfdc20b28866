import CatalyzeCore
import Testing
@testable import CatalyzeManifest

/// Support certificates stay short-lived: `access.maxTtl` is capped per profile, and the
/// break-glass cap never exceeds the ordinary one.
@Suite struct AccessTTLRuleTests {
    typealias T = ManifestTesting

    static func manifest(_ access: String, profile: String = "hipaa") -> String {
        T.validHipaa.replacingOccurrences(of: "profile: hipaa", with: "profile: \(profile)") + "access:\n" + access
    }

    @Test func aCenturyLongCapIsRefusedUnderHipaaAtItsPosition() {
        let extra = "access:\n  maxTtl: 36500d\n"
        let result = T.load(T.validHipaa + extra)
        let issue = ManifestIssue.accessTTLOverCap(
            path: "access.maxTtl", value: TimeSpan(seconds: 36_500 * 86_400), cap: TimeSpan(seconds: 86_400), profile: "hipaa")
        #expect(result.errors == [.init(issue, at: T.appendedPosition(of: "36500d", in: extra)!)])
        #expect(issue.message.contains("at most 1d") && issue.code == "access-ttl-over-cap")
        #expect(issue.hint?.contains("maxTtl: 1d") == true)
        #expect(result.manifest == nil)
    }

    @Test func theHipaaCapItselfIsAccepted() {
        let result = T.load(Self.manifest("  maxTtl: 24h\n"))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.diagnostic))")
    }

    @Test func devAllowsAWeekAndNoMore() {
        #expect(T.load(Self.manifest("  maxTtl: 7d\n", profile: "dev")).errors.isEmpty)
        let result = T.load(Self.manifest("  maxTtl: 8d\n", profile: "dev"))
        #expect(result.errors.map(\.issue) == [.accessTTLOverCap(
            path: "access.maxTtl", value: TimeSpan(seconds: 8 * 86_400), cap: TimeSpan(seconds: 7 * 86_400), profile: "dev")])
    }

    @Test func anEmergencyCapLongerThanTheOrdinaryOneIsRefused() {
        let extra = "access:\n  maxTtl: 2h\n  emergencyMaxTtl: 4h\n"
        let result = T.load(T.validHipaa + extra)
        let issue = ManifestIssue.emergencyTTLOverMaxTTL(
            path: "access.emergencyMaxTtl", emergency: TimeSpan(seconds: 4 * 3_600), maxTTL: TimeSpan(seconds: 2 * 3_600))
        #expect(result.errors == [.init(issue, at: T.appendedPosition(of: "4h", in: extra)!)])
        #expect(issue.code == "emergency-ttl-over-max-ttl" && issue.message.contains("access.maxTtl (2h)"))
    }

    @Test func bothProblemsAreReportedTogether() {
        let result = T.load(Self.manifest("  maxTtl: 2d\n  emergencyMaxTtl: 3d\n"))
        #expect(Set(result.errors.map(\.issue.code)) == ["access-ttl-over-cap", "emergency-ttl-over-max-ttl"])
    }

    @Test func theDefaultsPass() {
        #expect(T.load(T.validHipaa).diagnostics.isEmpty)
    }
}
