import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeRackspace
import CatalyzeTestSupport
import Foundation
import Testing

/// `tls-passthrough` on mimic: a Cloud Load Balancer of protocol `HTTPS` (which the service never
/// decrypts, and on which it refuses SSL termination), a `CONNECT` monitor, no certificate read,
/// and refresh reading it back as planned.
@Suite struct RackspacePassthroughTests {
    func spec(_ attributes: [String: String]) -> ResourceSpec {
        ResourceSpec(
            address: ResourceAddress(region: "primary", kind: .loadBalancer, name: "web"), kind: .loadBalancer,
            provider: .rax, cloudRegion: "ORD", attributes: attributes)
    }

    func apply(
        _ driver: RackspaceDriver, _ harness: RackspaceTestHarness, _ operation: CatalyzeModel.Operation, _ spec: ResourceSpec,
        token: String, prior: CloudResource? = nil
    ) async throws -> CloudResource? {
        // `.none` refuses every secret: passthrough must not need one.
        try await driver.apply(ApplyRequest(
            operation: operation, pod: harness.pod, spec: spec, prior: prior, token: token, dependencies: [:], secrets: .none)).resource
    }

    @Test(arguments: ["application", "network"])
    func passthroughIsAnHTTPSBalancerWithAConnectMonitor(type: String) async throws {
        let harness = try RackspaceTestHarness("pass\(type.prefix(3))")
        let driver = harness.driver()
        let lbSpec = spec([
            "network": "primary/network.main", "firewall": "primary/firewall.main",
            "type": type, "scheme": "internet-facing", "listeners": "tls-passthrough/443>8443", "health_check": "tcp::8443",
        ])
        let lb = try #require(try await apply(driver, harness, .create, lbSpec, token: "t-pass"))
        let clb = try await harness.mimic.endpoint("cloudLoadBalancers", tenant: harness.tenant)
        let balancer = try #require(try await harness.mimic.json("GET", clb.appendingPathComponent("loadbalancers/\(lb.cloudID)"))["loadBalancer"] as? [String: Any])
        #expect(balancer["protocol"] as? String == "HTTPS")
        #expect(balancer["port"] as? Int == 443)
        let monitor = try #require(try await harness.mimic.json("GET", clb.appendingPathComponent("loadbalancers/\(lb.cloudID)/healthmonitor"))["healthMonitor"] as? [String: Any])
        #expect(monitor["type"] as? String == "CONNECT")
        #expect(monitor["path"] == nil, "a connect check has no path: it would see only ciphertext")

        // No SSL termination, and the service refuses one on an HTTPS balancer.
        let termination = clb.appendingPathComponent("loadbalancers/\(lb.cloudID)/ssltermination")
        _ = try await harness.mimic.json("GET", termination, expect: 404)
        let pem = try await RackspaceResourceTests.certificate("acme.example")
        _ = try await harness.mimic.json("PUT", termination, body: ["sslTermination": [
            "certificate": pem.certificate, "privatekey": pem.key, "securePort": 8443, "enabled": true,
        ]], expect: 400)

        // Refresh reads it back as planned: every attribute it reports is the spec's (a clean plan).
        let live = try #require(try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")).resources.first { $0.address == lbSpec.address })
        #expect(live.resource.attributes["listeners"] == "tls-passthrough/443>8443")
        #expect(live.resource.attributes["health_check"] == "tcp::8443")
        #expect(live.resource.attributes["certificate"] == nil)
        for (key, value) in live.resource.attributes.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            #expect(lbSpec.attributes[key] == value, "\(key): desired \(lbSpec.attributes[key] ?? "nil"), live \(value)")
        }

        // An update (the monitor again) keeps it so.
        let updated = try #require(try await apply(driver, harness, .update, lbSpec, token: "t-pass", prior: lb))
        #expect(updated.cloudID == lb.cloudID)
        _ = try await apply(driver, harness, .delete, lbSpec, token: "t-pass-del", prior: lb)
    }

    /// A CLB serves one protocol on one port: passthrough beside another listener is refused, by name.
    @Test func passthroughBesideAnotherListenerIsRefused() async throws {
        let harness = try RackspaceTestHarness("passtwo")
        let lbSpec = spec([
            "network": "primary/network.main", "firewall": "primary/firewall.main",
            "type": "application", "scheme": "internet-facing", "listeners": "http/80>8080;tls-passthrough/443>8443",
            "health_check": "tcp::8443",
        ])
        await #expect {
            _ = try await apply(harness.driver(), harness, .create, lbSpec, token: "t-two")
        } throws: { error in
            "\(error)".contains("one listener only")
        }
    }
}
