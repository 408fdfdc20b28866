import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Foundation
import Testing

/// `tls-passthrough` against moto: the NLB forwards TLS untouched (a TCP listener to a TCP target
/// group with a TCP check), no certificate reaches ACM, refresh reads the listener back as
/// passthrough (so the next plan is clean), and a pod moving from `tls` to passthrough loses the
/// customer's imported key from the operator's account.
@Suite struct AWSDriverPassthroughTests {
    let region = "us-east-1"
    let pod = "zt"

    /// A network and an NLB with `listeners` (and `certificate` when given), made through `moto`.
    func balancer(
        _ moto: MotoFixture, listeners: String, certificate: String? = nil, secrets: SecretResolver = .none
    ) async throws -> (spec: ResourceSpec, resource: CloudResource, recorded: [ResourceAddress: CloudResource]) {
        var recorded: [ResourceAddress: CloudResource] = [:]
        let network = moto.spec(.network, "main", ["cidr": "10.80.0.0/16", "subnet_cidr": "10.80.1.0/24", "zone": "us-east-1a"])
        recorded[network.address] = try #require(try await moto.apply(.create, network, pod: pod, token: "t-net", firstUse: true))
        var attributes = [
            "network": "primary/network.main", "firewall": "primary/firewall.main", "type": "network", "scheme": "internal",
            "listeners": listeners, "health_check": "tcp::8443",
        ]
        attributes["certificate"] = certificate
        let spec = moto.spec(.loadBalancer, "main", attributes)
        let resource = try #require(try await moto.apply(.create, spec, pod: pod, token: "t-lb", dependencies: recorded, secrets: secrets))
        return (spec, resource, recorded)
    }

    func listeners(_ moto: MotoFixture, _ arn: String) async throws -> [XMLNode] {
        try await moto.driver.client.query(.elbv2, "DescribeListeners", region: region, ["LoadBalancerArn": arn])
            .list("DescribeListenersResult", "Listeners")
    }

    func certificates(_ moto: MotoFixture) async throws -> [[String: Any]] {
        try await moto.driver.client.json(.acm, "ListCertificates", region: region)["CertificateSummaryList"] as? [[String: Any]] ?? []
    }

    /// The balancer as refresh reports it.
    func refreshed(_ moto: MotoFixture) async throws -> LiveResource {
        let live = try await moto.driver.refresh(RefreshRequest(pod: pod, region: region)).resources
        return try #require(live.first { $0.kind == .loadBalancer })
    }

    @Test func passthroughIsATCPListenerWithNoCertificate() async throws {
        let moto = try MotoFixture()
        let (spec, lb, recorded) = try await balancer(moto, listeners: "tls-passthrough/443>8443")
        #expect(lb.outputs["certificate_arn"] == nil && lb.outputs["imported_certificate"] == nil)

        let found = try await listeners(moto, lb.cloudID)
        #expect(found.count == 1)
        #expect(found.first?.string("Protocol") == "TCP" && found.first?.string("Port") == "443")
        #expect(found.first?.list("Certificates").isEmpty == true, "nothing terminates TLS at the balancer")
        let groups = try await moto.driver.client.query(.elbv2, "DescribeTargetGroups", region: region, ["LoadBalancerArn": lb.cloudID])
            .list("DescribeTargetGroupsResult", "TargetGroups")
        #expect(groups.count == 1)
        #expect(groups.first?.string("Protocol") == "TCP" && groups.first?.string("Port") == "8443")
        #expect(groups.first?.string("HealthCheckProtocol") == "TCP")
        #expect(try await certificates(moto).isEmpty, "no key was imported into ACM")

        // Refresh reads it back as planned: every attribute it reports is the spec's (a clean plan).
        let live = try await refreshed(moto)
        #expect(live.resource.attributes["listeners"] == "tls-passthrough/443>8443")
        #expect(live.resource.attributes["health_check"] == "tcp::8443")
        #expect(live.resource.attributes["certificate"] == nil && live.resource.outputs["certificate_arn"] == nil)
        for (key, value) in live.resource.attributes.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            #expect(lb.attributes[key] == value, "\(key): recorded \(lb.attributes[key] ?? "nil"), live \(value)")
            #expect(spec.attributes[key] == value, "\(key): desired \(spec.attributes[key] ?? "nil"), live \(value)")
        }

        _ = try await moto.apply(.delete, spec, pod: pod, token: "d-lb", prior: lb, dependencies: recorded)
    }

    /// `tls` to `tls-passthrough` in place: the listener becomes TCP and the certificate catalyze
    /// imported for the `tls` listener is deleted from ACM.
    @Test func movingFromTLSToPassthroughDeletesTheImportedKey() async throws {
        let moto = try MotoFixture()
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let bundle = try AWSDriverResourceTests.certificateBundle(in: folder)
        let secrets = SecretResolver { reference in
            guard case .file(let path) = reference else { throw DriverError.secretUnavailable(reference) }
            return Secret(try String(contentsOfFile: path, encoding: .utf8))
        }
        let (spec, lb, recorded) = try await balancer(moto, listeners: "tls/443>8443", certificate: "file:\(bundle)", secrets: secrets)
        #expect(lb.outputs["imported_certificate"] == "true")
        #expect(try await certificates(moto).count == 1)
        #expect(try await refreshed(moto).resource.attributes["listeners"] == "tls/443>8443")

        var passthrough = spec
        passthrough.attributes["listeners"] = "tls-passthrough/443>8443"
        passthrough.attributes["certificate"] = nil
        let updated = try #require(try await moto.apply(.update, passthrough, pod: pod, token: "t-lb-2", prior: lb, dependencies: recorded))
        #expect(updated.outputs["certificate_arn"] == nil && updated.attributes["certificate"] == nil)
        let found = try await listeners(moto, lb.cloudID)
        #expect(found.map { $0.string("Protocol") } == ["TCP"])
        #expect(found.first?.list("Certificates").isEmpty == true)
        #expect(try await certificates(moto).isEmpty, "the customer's key left the operator's account")
        let live = try await refreshed(moto)
        #expect(live.resource.attributes["listeners"] == "tls-passthrough/443>8443")
        #expect(live.resource.attributes["listeners"] == updated.attributes["listeners"])

        _ = try await moto.apply(.delete, passthrough, pod: pod, token: "d-lb", prior: updated, dependencies: recorded)
    }
}
