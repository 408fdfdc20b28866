import CatalyzeTestSupport
import Foundation
import Testing

/// `plan` and `apply` check every secret reference and file the manifest names before any change
/// needs it: a missing one is an error at its manifest position naming the resources that need it,
/// the value is never printed, and nothing is made in moto.
@Suite(.serialized) struct ReferenceCheckTests {
    @Test func aMissingCertificateOrPasswordIsReportedAtItsPositionBeforeAnyChange() async throws {
        let kill = try await KillWorkspace.start()
        defer { kill.stop() }
        let certificate = kill.ws.folder.path("certs/acme-prod.pem")
        let kept = try Data(contentsOf: URL(fileURLWithPath: certificate))
        try FileManager.default.removeItem(atPath: certificate)
        var environment = kill.ws.environment
        environment["ACME_DB_PASSWORD"] = nil
        let steps = PlanSteps(folder: kill.ws.folder.url, environment: environment)

        let plan = try await steps.catalyze("plan")
        #expect(plan.status == 1)
        #expect(plan.stderr.contains(
            "pod.yaml:35:20: error: loadBalancer.listeners[0].certificate: no such file ./certs/acme-prod.pem (file:certs/acme-prod.pem), "
                + "needed by primary/load_balancer.main"), "\(plan.stderr)")
        #expect(plan.stderr.contains(
            "pod.yaml:53:15: error: databases[0].password: environment variable ACME_DB_PASSWORD is not set (env:ACME_DB_PASSWORD), "
                + "needed by primary/instance.db01"), "\(plan.stderr)")
        #expect(!plan.stdout.contains("to add"), "no changes proposed:\n\(plan.stdout)")
        let applied = try await steps.catalyze("apply", "--auto-approve")
        #expect(applied.status == 1 && applied.stderr.contains("nothing was changed"), "\(applied.stderr)")
        #expect(try await kill.cloudParts().isEmpty, "nothing made in moto")

        // Present at `plan --out`, gone before `apply PLANFILE`: apply checks again before any change.
        try kept.write(to: URL(fileURLWithPath: certificate))
        let saved = try await kill.direct.catalyze("plan", "--out", "pod.plan")
        #expect(saved.status == 0, "\(saved.stderr)")
        try FileManager.default.removeItem(atPath: certificate)
        let refused = try await kill.direct.catalyze("apply", "pod.plan")
        #expect(refused.status == 1 && refused.stderr.contains("loadBalancer.listeners[0].certificate: no such file"), "\(refused.stderr)")
        #expect(try await kill.cloudParts().isEmpty, "nothing made in moto")
        #expect(!(plan.stdout + plan.stderr + refused.stderr).contains(EndToEndAWSTests.dbPassword))
    }
}
