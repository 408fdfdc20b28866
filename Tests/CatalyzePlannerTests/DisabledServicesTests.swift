import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeTestSupport
import Foundation
import Testing

/// A `dev` pod that turns logging or monitoring off deploys neither its container nor the customer's
/// rules for it (under `hipaa` the profile refuses turning them off: `ProfileRuleTests`).
@Suite struct DisabledServicesTests {
    static func devRax(appending extra: String) throws -> PodManifest {
        let path = repositoryRoot.appendingPathComponent("examples/dev-rax.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8) + extra
        let result = ManifestLoader.load(text: text, file: "dev-rax.yaml")
        #expect(result.isValid, "\(result.diagnostics)")
        return try #require(result.manifest)
    }

    @Test func aDevPodWithoutLoggingAndMonitoringRunsNeither() throws {
        let manifest = try Self.devRax(appending: "\nlogging:\n  enabled: false\nmonitoring:\n  enabled: false\n")
        let roles = Set(PodLayout.slots(manifest).map(\.role))
        #expect(!roles.contains("logging") && !roles.contains("monitoring"))
        #expect(roles.contains("app") && roles.contains("db") && roles.contains("api"))
        let specs = PlannerTests.desired(manifest)
        #expect(!specs.contains { $0.address.name.hasPrefix("logging") || $0.address.name.hasPrefix("monitoring") })
    }

    @Test func turningOnlyMonitoringOffKeepsLogging() throws {
        let manifest = try Self.devRax(appending: "\nmonitoring:\n  enabled: false\n")
        let roles = PodLayout.slots(manifest).map(\.role)
        #expect(roles.contains("logging") && !roles.contains("monitoring"))
    }

    @Test func theDefaultPodRunsBoth() throws {
        let roles = PodLayout.slots(try PlannerTests.manifest("dev-rax.yaml")).map(\.role)
        #expect(roles.filter { $0 == "logging" }.count == 1 && roles.filter { $0 == "monitoring" }.count == 1)
    }
}
