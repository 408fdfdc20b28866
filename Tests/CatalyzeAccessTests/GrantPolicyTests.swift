import CatalyzeCore
import Testing
@testable import CatalyzeAccess

@Suite struct GrantPolicyTests {
    @Test func acceptsUpToTheCapAndRefusesBeyondIt() throws {
        let policy = GrantPolicy.standard
        try policy.check(ttl: TimeSpan(seconds: 8 * 3_600), emergency: false)
        #expect(throws: AccessError.ttlOverCap(requested: TimeSpan(seconds: 8 * 3_600 + 1), cap: TimeSpan(seconds: 8 * 3_600), emergency: false)) {
            try policy.check(ttl: TimeSpan(seconds: 8 * 3_600 + 1), emergency: false)
        }
    }

    @Test func emergencyGrantsHaveTheirOwnShorterCap() throws {
        let policy = GrantPolicy.standard
        try policy.check(ttl: TimeSpan(seconds: 3_600), emergency: true)
        #expect(throws: AccessError.ttlOverCap(requested: TimeSpan(seconds: 7_200), cap: TimeSpan(seconds: 3_600), emergency: true)) {
            try policy.check(ttl: TimeSpan(seconds: 7_200), emergency: true)
        }
    }

    @Test func zeroTTLIsRefused() {
        #expect(throws: AccessError.ttlNotPositive(TimeSpan(seconds: 0))) {
            try GrantPolicy.standard.check(ttl: TimeSpan(seconds: 0), emergency: false)
        }
    }

    @Test func aManifestCanLowerTheCap() {
        let strict = GrantPolicy(maximumTTL: TimeSpan(seconds: 1_800), emergencyMaximumTTL: TimeSpan(seconds: 600), clockSkewAllowance: TimeSpan(seconds: 60))
        #expect(throws: AccessError.self) { try strict.check(ttl: TimeSpan(seconds: 3_600), emergency: false) }
        #expect(strict.cap(emergency: true) == TimeSpan(seconds: 600))
    }
}
