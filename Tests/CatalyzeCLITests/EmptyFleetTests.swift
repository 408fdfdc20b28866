import CatalyzeManifest
import CatalyzeScheduler
import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeCLI

/// A region whose fleet is empty, against a real (private, unseeded) moto: `hosts` and `plan` say
/// that the region has no fleet hosts and how to add some, instead of only "no host passed".
@Suite struct EmptyFleetTests {
    @Test func hostsAndPlanSayTheRegionHasNoFleetHostsAndHowToAddThem() async throws {
        let moto = try await PrivateMoto.start()
        let folder = try TemporaryDirectory(prefix: "catalyze-empty-fleet")
        defer { moto.stop(); folder.remove() }
        try FileManager.default.copyItem(
            atPath: repositoryRoot.appendingPathComponent("examples/hipaa-aws.yaml").path, toPath: folder.path("pod.yaml"))
        try await TLSBundle.write(in: folder, as: ["acme-prod.pem", "acme-dr.pem"])
        let environment = [
            "AWS_ENDPOINT_URL": moto.url.absoluteString, "AWS_ACCESS_KEY_ID": "AKIDEMPTYFLEET",
            "AWS_SECRET_ACCESS_KEY": "empty-fleet-secret", "ACME_DB_PASSWORD": "empty-fleet-db", "NO_COLOR": "1",
            "AWS_PROFILE": "", "AWS_SESSION_TOKEN": "",
        ]
        let advice = "has no fleet hosts: allocate EC2 dedicated hosts there tagged catalyze:fleet (any value); "
            + "against an emulator, scripts/seed-aws-fleet.py makes some"

        let hosts = try await runCommand(catalyzeBinary, ["hosts"], in: folder.url, environment: environment)
        #expect(hosts.status == 0, "\(hosts.stderr)")
        #expect(hosts.stderr.contains("note: region 'primary' (aws us-east-1) " + advice), "\(hosts.stderr)")

        let plan = try await runCommand(catalyzeBinary, ["plan"], in: folder.url, environment: environment)
        #expect(plan.status == 1)
        #expect(plan.stderr.contains("error: placement failed: cannot place primary/"), "\(plan.stderr)")
        #expect(plan.stderr.contains("hint: region 'primary' (aws us-east-1) " + advice), "\(plan.stderr)")
    }

    /// On Rackspace the advice names Cloud Monitoring's fleet metadata and the Rackspace seeding
    /// script; a placement that considered hosts (and refused them) gets no such advice.
    @Test func rackspaceAdviceAndOnlyForAnEmptyFleet() throws {
        let manifest = try #require(ManifestLoader.load(path: repositoryRoot.appendingPathComponent("examples/dev-rax.yaml").path).manifest)
        let empty = PlacementError.antiAffinityUnsatisfiable(group: "app", demandID: "primary/instance.app02", rule: .required, considered: [])
        #expect(FleetAdvice.hint(for: empty, manifest: manifest) == "region 'primary' (rax ORD) has no fleet hosts: mark each dedicated "
            + "host's Cloud Monitoring entity there with catalyze:fleet metadata (man 5 catalyze-manifest, RACKSPACE PLACEMENT); "
            + "against an emulator, scripts/seed-rax-fleet.py makes some")
        let refused = PlacementError.noEligibleHost(
            demandID: "primary/instance.app01", group: "app", considered: [HostVerdict(hostID: "h1", reason: .unhealthy("down"))])
        #expect(FleetAdvice.hint(for: refused, manifest: manifest) == nil)
    }
}
