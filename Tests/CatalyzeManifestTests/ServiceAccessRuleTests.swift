import CatalyzeCore
import Testing
@testable import CatalyzeManifest

/// A `dev` pod may leave logging or monitoring out; then there is no endpoint to open to the
/// customer, and `customerAccess` turned on for it is an error at its `enabled`.
@Suite struct ServiceAccessRuleTests {
    typealias T = ManifestTesting

    static let devWithoutLogging = T.validHipaa.replacingOccurrences(of: "profile: hipaa", with: "profile: dev")
        + "logging:\n  enabled: false\n  customerAccess:\n    enabled: true\n    cidrs: [203.0.113.0/24]\n"

    @Test func accessToALoggingServiceThatIsNotDeployedIsRefusedAtItsSwitch() throws {
        let text = Self.devWithoutLogging
        let result = T.load(text)
        let issue = ManifestIssue.accessToDisabledService(section: "logging")
        let at = try #require(T.position(of: "true", in: text, occurrence: 1))
        #expect(result.errors == [.init(issue, at: at)])
        #expect(issue.code == "access-to-disabled-service")
        #expect(issue.message.contains("logging is not deployed (logging.enabled: false)"))
        #expect(issue.hint?.contains("customerAccess: { enabled: false }") == true)
    }

    @Test func aDisabledServiceWithoutAccessIsFine() {
        let text = T.validHipaa.replacingOccurrences(of: "profile: hipaa", with: "profile: dev")
            + "logging:\n  enabled: false\nmonitoring:\n  enabled: false\n"
        let result = T.load(text)
        #expect(result.errors.isEmpty && result.manifest != nil)
        #expect(result.manifest?.logging.enabled == false && result.manifest?.monitoring.enabled == false)
    }
}
