import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeRackspace
import CatalyzeTestSupport
import Foundation
import Testing

/// Networks, firewalls and their rules, encrypted volumes and attachments, load balancers.
@Suite struct RackspaceResourceTests {
    func spec(_ harness: RackspaceTestHarness, _ kind: ResourceKind, _ name: String, _ attributes: [String: String]) -> ResourceSpec {
        ResourceSpec(
            address: ResourceAddress(region: "primary", kind: kind, name: name), kind: kind, provider: .rax,
            cloudRegion: "ORD", attributes: attributes)
    }

    func apply(
        _ driver: RackspaceDriver, _ harness: RackspaceTestHarness, _ operation: CatalyzeModel.Operation, _ spec: ResourceSpec,
        token: String, prior: CloudResource? = nil, deps: [ResourceAddress: CloudResource] = [:], secrets: SecretResolver = .none
    ) async throws -> CloudResource? {
        try await driver.apply(ApplyRequest(
            operation: operation, pod: harness.pod, spec: spec, prior: prior, token: token, dependencies: deps, secrets: secrets)).resource
    }

    @Test func firewallIngressUpdatesByDifferenceAndRulesAreSingleChanges() async throws {
        let harness = try RackspaceTestHarness("firewall")
        let driver = harness.driver()
        let network = spec(harness, .network, "main", ["cidr": "10.40.0.0/16", "subnet_cidr": "10.40.1.0/24", "zone": "ORD"])
        let net = try #require(try await apply(driver, harness, .create, network, token: "t-net"))
        #expect(net.attributes["subnet_cidr"] == "10.40.1.0/24")
        var firewall = spec(harness, .firewall, "main", ["network": network.address.description, "ingress": "tcp/443/0.0.0.0/0;tcp/5432/10.40.0.0/16"])
        let fw = try #require(try await apply(driver, harness, .create, firewall, token: "t-fw", deps: [network.address: net]))
        #expect(fw.attributes["ingress"] == "tcp/443/0.0.0.0/0;tcp/5432/10.40.0.0/16")

        firewall.attributes["ingress"] = "tcp/443/0.0.0.0/0;tcp/8000-8080/10.40.0.0/16"
        let updated = try #require(try await apply(driver, harness, .update, firewall, token: "t-fw2", prior: fw, deps: [network.address: net]))
        #expect(updated.cloudID == fw.cloudID)
        #expect(updated.attributes["ingress"] == "tcp/443/0.0.0.0/0;tcp/8000-8080/10.40.0.0/16")

        let rule = spec(harness, .firewallRule, "logging", [
            "firewall": firewall.address.description, "purpose": "logging", "protocol": "tcp", "port": "514", "cidr": "203.0.113.7/32",
        ])
        let deps = [firewall.address: fw]
        let exposed = try #require(try await apply(driver, harness, .create, rule, token: "t-rule", deps: deps))
        let again = try #require(try await apply(driver, harness, .create, rule, token: "t-rule", deps: deps))
        #expect(again.cloudID == exposed.cloudID, "same token, same rule")
        let live = try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")).resources
        let liveRule = try #require(live.first { $0.address == rule.address })
        #expect(liveRule.resource.attributes["port"] == "514" && liveRule.resource.attributes["purpose"] == "logging")
        #expect(liveRule.resource.attributes["firewall"] == firewall.address.description)
        #expect(live.first { $0.address == firewall.address }?.resource.attributes["ingress"] == updated.attributes["ingress"],
                "the customer rule is not part of the base ingress")
        _ = try await apply(driver, harness, .delete, rule, token: "t-rule-del", prior: exposed, deps: deps)
        let after = try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")).resources
        #expect(!after.contains { $0.address == rule.address })
        #expect(after.contains { $0.address == firewall.address })
    }

    @Test func encryptedVolumeAttachesAndIsRefreshed() async throws {
        let harness = try RackspaceTestHarness("volume")
        let driver = harness.driver()
        let key = spec(harness, .key, "acme", ["alias": "catalyze/acme"])
        let type = try #require(try await apply(driver, harness, .create, key, token: "t-key"))
        #expect(type.outputs["provider"] == "luks")
        let volumeSpec = spec(harness, .volume, "db01", ["size_gib": "100", "encrypted": "true", "key": key.address.description, "zone": "ORD"])
        let volume = try #require(try await apply(driver, harness, .create, volumeSpec, token: "t-vol", deps: [key.address: type]))
        #expect(volume.attributes["encrypted"] == "true" && volume.attributes["size_gib"] == "100")
        let again = try #require(try await apply(driver, harness, .create, volumeSpec, token: "t-vol", deps: [key.address: type]))
        #expect(again.cloudID == volume.cloudID)

        let host = try await harness.mimic.placeableHostID(tenant: harness.tenant)
        let instance = harness.instance("db01", host: host)
        let server = try #require(try await harness.create(driver, instance, token: "t-db01"))
        let attachment = spec(harness, .attachment, "db01-data", [
            "volume": volumeSpec.address.description, "instance": instance.address.description, "device": "/dev/xvdb",
        ])
        let deps = [volumeSpec.address: volume, instance.address: server]
        let attached = try #require(try await apply(driver, harness, .create, attachment, token: "t-att", deps: deps))
        #expect(attached.attributes["device"] == "/dev/xvdb")
        let live = try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")).resources
        #expect(live.first { $0.address == attachment.address }?.resource.cloudID == attached.cloudID)
        #expect(live.first { $0.address == volumeSpec.address }?.operationToken == "t-vol")
        #expect(live.first { $0.address == key.address }?.resource.cloudID == type.cloudID, "the key, found through the volume made of it")

        _ = try await apply(driver, harness, .delete, attachment, token: "t-att-del", prior: attached)
        _ = try await apply(driver, harness, .delete, volumeSpec, token: "t-vol-del", prior: volume)
        let after = try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")).resources
        #expect(!after.contains { $0.kind == .volume || $0.kind == .attachment || $0.kind == .key }, "no volume left names the key")
    }

    @Test func customerKeyMustNameAnEncryptedType() async throws {
        let harness = try RackspaceTestHarness("custkey")
        let driver = harness.driver()
        let plain = spec(harness, .key, "acme", ["alias": "catalyze/acme", "customer_key": "SATA"])
        await #expect(throws: DriverError.self) { _ = try await apply(driver, harness, .create, plain, token: "t-k1") }
        let luks = spec(harness, .key, "acme", ["alias": "catalyze/acme", "customer_key": "LUKS"])
        let adopted = try #require(try await apply(driver, harness, .create, luks, token: "t-k2"))
        #expect(adopted.attributes["customer_key"] == "LUKS")
    }

    @Test func loadBalancerWithHealthMonitorAndTarget() async throws {
        let harness = try RackspaceTestHarness("clb")
        let driver = harness.driver()
        let lbSpec = spec(harness, .loadBalancer, "web", [
            "network": "primary/network.main", "firewall": "primary/firewall.main",
            "type": "application", "scheme": "internet-facing", "listeners": "http/80>8080", "certificate": "",
            "health_check": "http:/healthz:8080",
        ])
        let lb = try #require(try await apply(driver, harness, .create, lbSpec, token: "t-lb"))
        let again = try #require(try await apply(driver, harness, .create, lbSpec, token: "t-lb"))
        #expect(again.cloudID == lb.cloudID)
        #expect(lb.attributes["listeners"] == "http/80>8080")
        let clb = try await harness.mimic.endpoint("cloudLoadBalancers", tenant: harness.tenant)
        let monitor = try await harness.mimic.json("GET", clb.appendingPathComponent("loadbalancers/\(lb.cloudID)/healthmonitor"))
        #expect((monitor["healthMonitor"] as? [String: Any])?["path"] as? String == "/healthz")

        let host = try await harness.mimic.placeableHostID(tenant: harness.tenant)
        let instance = harness.instance("app01", host: host)
        let server = try #require(try await harness.create(driver, instance, token: "t-app01"))
        let target = spec(harness, .lbTarget, "app01", [
            "load_balancer": lbSpec.address.description, "instance": instance.address.description, "port": "8080",
        ])
        let deps = [lbSpec.address: lb, instance.address: server]
        let node = try #require(try await apply(driver, harness, .create, target, token: "t-node", deps: deps))
        let nodeAgain = try #require(try await apply(driver, harness, .create, target, token: "t-node", deps: deps))
        #expect(node.cloudID == nodeAgain.cloudID, "the node with the same address and port is adopted")
        #expect(node.outputs["address"] == server.outputs["private_ip"])

        let live = try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")).resources
        #expect(live.first { $0.address == lbSpec.address }?.resource.cloudID == lb.cloudID)
        // The node, from the balancer's details and its server's lb-target metadata: no call per node.
        let foundNode = try #require(live.first { $0.address == target.address })
        #expect(foundNode.resource.cloudID == node.cloudID && foundNode.operationToken == "t-node")
        #expect(foundNode.resource.attributes == node.attributes)
        _ = try await apply(driver, harness, .delete, target, token: "t-node-del", prior: node, deps: deps)
        #expect(try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")).resources.allSatisfy { $0.kind != .lbTarget })
        _ = try await apply(driver, harness, .delete, lbSpec, token: "t-lb-del", prior: lb)
        _ = try await apply(driver, harness, .delete, lbSpec, token: "t-lb-del2", prior: lb)
        #expect(try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")).resources.allSatisfy { $0.kind != .loadBalancer })
    }

    @Test func refreshCallsStayFlatAsTargetsGrow() async throws {
        // Targets come from the balancer's details and the server list: 1 target or 3, same calls.
        let harness = try RackspaceTestHarness("clbflat")
        let counter = CountingTransport(CurlTransport())
        let driver = harness.driver(transport: counter)
        let lbSpec = spec(harness, .loadBalancer, "web", [
            "network": "primary/network.main", "firewall": "primary/firewall.main",
            "type": "application", "scheme": "internet-facing", "listeners": "http/80>8080", "certificate": "", "health_check": "",
        ])
        let lb = try #require(try await apply(driver, harness, .create, lbSpec, token: "t-lb"))
        let host = try await harness.mimic.placeableHostID(tenant: harness.tenant)
        func addTarget(_ name: String) async throws {
            let instance = harness.instance(name, host: host)
            let server = try #require(try await harness.create(driver, instance, token: "t-\(name)"))
            let target = spec(harness, .lbTarget, name, [
                "load_balancer": lbSpec.address.description, "instance": instance.address.description, "port": "8080",
            ])
            _ = try #require(try await apply(
                driver, harness, .create, target, token: "t-node-\(name)", deps: [lbSpec.address: lb, instance.address: server]))
        }
        func refreshCalls() async throws -> (calls: Int, targets: Set<String>) {
            counter.reset()
            let live = try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")).resources
            return (counter.total, Set(live.filter { $0.kind == .lbTarget }.map(\.address.name)))
        }
        try await addTarget("app01")
        let one = try await refreshCalls()
        #expect(one.targets == ["app01"])
        try await addTarget("app02")
        try await addTarget("app03")
        let three = try await refreshCalls()
        #expect(three.targets == ["app01", "app02", "app03"])
        #expect(three.calls == one.calls, "refresh calls must not grow with targets (\(one.calls) → \(three.calls))")
    }

    @Test func httpsListenerResolvesTheCertificateOnlyThroughSecrets() async throws {
        let harness = try RackspaceTestHarness("tls")
        let lbSpec = spec(harness, .loadBalancer, "web", [
            "network": "primary/network.main", "firewall": "primary/firewall.main",
            "type": "application", "scheme": "internet-facing", "listeners": "https/443>8080", "certificate": "arn:aws:acm:x",
            "health_check": "",
        ])
        do {
            _ = try await apply(harness.driver(), harness, .create, lbSpec, token: "t-tls")
            Issue.record("a provider certificate id cannot be used on Cloud Load Balancers")
        } catch let DriverError.invalidSpec(_, reason) {
            #expect(reason.contains("env:NAME or file:PATH"))
        }
    }

    /// A self-signed certificate and its key, as PEM text.
    static func certificate(_ name: String) async throws -> (certificate: String, key: String) {
        let folder = try TemporaryDirectory(prefix: "catalyze-tls")
        defer { folder.remove() }
        let made = try await runCommand("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=\(name)", "-days", "2",
            "-keyout", folder.path("key.pem"), "-out", folder.path("cert.pem"),
        ])
        try #require(made.status == 0, "openssl: \(made.stderr)")
        return (try String(contentsOfFile: folder.path("cert.pem"), encoding: .utf8), try String(contentsOfFile: folder.path("key.pem"), encoding: .utf8))
    }

    /// TLS termination through the mimic extension's `ssltermination` resource (mimic itself has
    /// none; catalyze_load_balancers.py follows the CLB v1.0 reference): the certificate is
    /// installed, the key reaches only that call, and nothing recorded holds it.
    @Test func httpsListenerInstallsTLSTerminationAndKeepsNoKey() async throws {
        let harness = try RackspaceTestHarness("tlsterm")
        let driver = harness.driver()
        let pem = try await Self.certificate("acme.example")
        let secrets = SecretResolver { reference in
            guard reference == SecretReference(parsing: "env:ACME_TLS") else { throw DriverError.secretUnavailable(reference) }
            return Secret(pem.certificate + pem.key)
        }
        let lbSpec = spec(harness, .loadBalancer, "web", [
            "network": "primary/network.main", "firewall": "primary/firewall.main",
            "type": "application", "scheme": "internet-facing", "listeners": "https/443>8080", "certificate": "env:ACME_TLS",
            "health_check": "http:/healthz:8080",
        ])
        let lb = try #require(try await apply(driver, harness, .create, lbSpec, token: "t-tls", secrets: secrets))
        let clb = try await harness.mimic.endpoint("cloudLoadBalancers", tenant: harness.tenant)
        let url = clb.appendingPathComponent("loadbalancers/\(lb.cloudID)/ssltermination")
        let installed = try #require(try await harness.mimic.json("GET", url, expect: 200)["sslTermination"] as? [String: Any])
        #expect(installed["certificate"] as? String == pem.certificate)
        #expect(installed["securePort"] as? Int == 443)
        #expect(installed["secureTrafficOnly"] as? Bool == true, "an https-only balancer refuses plain traffic")
        #expect(installed["enabled"] as? Bool == true)
        let balancer = try await harness.mimic.json("GET", clb.appendingPathComponent("loadbalancers/\(lb.cloudID)"))
        #expect((balancer["loadBalancer"] as? [String: Any])?["protocol"] as? String == "HTTP", "TLS terminates in front of an HTTP balancer")

        let keyLine = try #require(pem.key.split(separator: "\n").dropFirst().first.map(String.init))
        let recorded = "\(lb.attributes) \(lb.outputs)"
        #expect(lb.attributes["certificate"] == "env:ACME_TLS", "the reference is recorded, never the bundle")
        #expect(!recorded.contains(keyLine) && !recorded.contains("PRIVATE KEY"))

        func refreshedCertificate() async throws -> String? {
            try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")).resources
                .first { $0.address == lbSpec.address }?.resource.attributes["certificate"]
        }
        #expect(try await refreshedCertificate() == "env:ACME_TLS")

        // Removed out of band: refresh shows it (a difference for the next plan), and an update
        // installs it again (the PUT carries the whole configuration).
        _ = try await harness.mimic.json("DELETE", url, expect: 200)
        let drifted = try await refreshedCertificate()
        #expect(drifted != "env:ACME_TLS" && drifted?.contains("no TLS termination") == true, "\(drifted ?? "nil")")
        _ = try #require(try await apply(driver, harness, .update, lbSpec, token: "t-tls-up", prior: lb, secrets: secrets))
        #expect((try await harness.mimic.json("GET", url, expect: 200)["sslTermination"] as? [String: Any])?["certificate"] as? String == pem.certificate)
        #expect(try await refreshedCertificate() == "env:ACME_TLS")

        // A key that does not belong to the certificate is refused by the service; the error names no key material.
        let other = try await Self.certificate("other.example")
        let mismatched = SecretResolver { _ in Secret(pem.certificate + other.key) }
        do {
            _ = try await apply(driver, harness, .update, lbSpec, token: "t-tls-bad", prior: lb, secrets: mismatched)
            Issue.record("a key that does not match the certificate must fail")
        } catch {
            let text = "\(error)"
            #expect(text.contains("UpdateSSLTermination") && text.contains("400"), "\(text)")
            let otherLine = try #require(other.key.split(separator: "\n").dropFirst().first.map(String.init))
            #expect(!text.contains(otherLine) && !text.contains("PRIVATE KEY") && !text.contains("BEGIN CERTIFICATE"))
        }
        _ = try await apply(driver, harness, .delete, lbSpec, token: "t-tls-del", prior: lb)
    }

    @Test func monitoringContainerGetsCloudMonitoringChecks() async throws {
        let harness = try RackspaceTestHarness("monitor")
        let driver = harness.driver()
        let host = try await harness.mimic.placeableHostID(tenant: harness.tenant)
        let spec = harness.instance("mon01", host: host, extra: ["role": "monitoring"])
        let server = try #require(try await harness.create(driver, spec, token: "t-mon"))
        let entityID = try #require(server.outputs["monitoring_entity"])
        let maas = try await harness.mimic.endpoint("cloudMonitoring", tenant: harness.tenant)
        let checks = try await harness.mimic.json("GET", maas.appendingPathComponent("entities/\(entityID)/checks"))
        let types = ((checks["values"] as? [[String: Any]]) ?? []).compactMap { $0["type"] as? String }.sorted()
        #expect(types == ["agent.cpu", "agent.filesystem", "agent.memory"])
        let again = try #require(try await harness.create(driver, spec, token: "t-mon"))
        #expect(again.outputs["monitoring_entity"] == entityID, "no second entity for the same token")
        try await harness.delete(driver, spec, prior: server)
        let entities = try await harness.mimic.json("GET", maas.appendingPathComponent("entities"))
        #expect(((entities["values"] as? [[String: Any]]) ?? []).allSatisfy { $0["id"] as? String != entityID })
    }

    @Test func vpnIsRefusedWithAReason() async throws {
        let harness = try RackspaceTestHarness("vpn")
        let vpn = spec(harness, .vpn, "office", ["network": "primary/network.main", "peer_ip": "198.51.100.1", "remote_cidrs": "192.168.0.0/16"])
        await #expect(throws: DriverError.self) { _ = try await apply(harness.driver(), harness, .create, vpn, token: "t-vpn") }
    }
}
