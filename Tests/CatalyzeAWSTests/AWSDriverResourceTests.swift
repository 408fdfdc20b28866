import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Foundation
import Testing

/// A whole pod against moto: every kind created, refreshed, changed in place and deleted.
@Suite struct AWSDriverResourceTests {
    /// A self-signed certificate and key, made by openssl, as one PEM bundle file.
    static func certificateBundle(in folder: TemporaryDirectory) throws -> String {
        let key = folder.path("tls.key"), cert = folder.path("tls.crt")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                             "-days", "30", "-subj", "/CN=acme.example.com"]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let bundle = folder.path("tls.pem")
        let text = try String(contentsOfFile: cert, encoding: .utf8) + String(contentsOfFile: key, encoding: .utf8)
        try text.write(toFile: bundle, atomically: true, encoding: .utf8)
        return bundle
    }

    @Test func wholePodLifecycle() async throws {
        let moto = try MotoFixture()
        let region = "us-east-1"
        let pod = "acme"
        let hosts = try await moto.allocateHosts(region: region, zone: "us-east-1a", family: "m5", count: 2)
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let bundlePath = try Self.certificateBundle(in: folder)
        let secrets = SecretResolver { reference in
            guard case .file(let path) = reference else { throw DriverError.secretUnavailable(reference) }
            return Secret(try String(contentsOfFile: path, encoding: .utf8))
        }
        var recorded: [ResourceAddress: CloudResource] = [:]
        func create(_ spec: ResourceSpec, token: String) async throws -> CloudResource {
            let resource = try #require(try await moto.apply(.create, spec, pod: pod, token: token, dependencies: recorded, secrets: secrets))
            recorded[spec.address] = resource
            return resource
        }

        let network = moto.spec(.network, "main", ["cidr": "10.40.0.0/16", "subnet_cidr": "10.40.1.0/24", "zone": "us-east-1a"])
        let net = try await create(network, token: "t-net")
        #expect(net.cloudID.hasPrefix("vpc-") && net.outputs["subnet_id"]?.hasPrefix("subnet-") == true)
        let firewall = moto.spec(.firewall, "main", ["network": "primary/network.main", "ingress": "tcp/443/0.0.0.0/0;tcp/5432/10.40.0.0/16"])
        let fw = try await create(firewall, token: "t-fw")
        let key = moto.spec(.key, "storage", ["alias": "catalyze/\(pod)-\(moto.account)"])
        let kms = try await create(key, token: "t-key")
        let volume = moto.spec(.volume, "db01-data", ["size_gib": "20", "encrypted": "true", "key": "primary/key.storage", "zone": "us-east-1a"])
        let vol = try await create(volume, token: "t-vol")
        #expect(vol.attributes["encrypted"] == "true")
        #expect(vol.outputs["kms_key_id"]?.hasSuffix(kms.cloudID) == true, "encrypted with the pod's own key")
        let caLine = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1Nl0p6Bv0k3cN0bG0ZbXz9m2a4fT3yqvK4q5B7p8Zs acme-ca"
        var db = ["role": "db", "vcpu": "4", "memory_mib": "16384", "host": hosts[0], "zone": "us-east-1a", "image": "",
                  "network": "primary/network.main", "firewall": "primary/firewall.main", "ssh_ca": caLine,
                  "principals": "acme-db01,acme-ops", "port": "5432"]
        let db01 = try await create(moto.spec(.instance, "db01", db), token: "t-db01")
        #expect(db01.attributes["host"] == hosts[0] && db01.outputs["instance_type"] == "m5.xlarge")
        // IMDSv2 only, one hop (a container on the host cannot reach the metadata service): as EC2 holds it.
        #expect(db01.outputs["metadata_tokens"] == "required")
        let described = try await moto.driver.client.query(.ec2, "DescribeInstances", region: "us-east-1", ["InstanceId.1": db01.cloudID])
        let options = try #require(described.list("reservationSet").flatMap { $0.list("instancesSet") }.first?["metadataOptions"])
        #expect(options.string("httpTokens") == "required" && options.string("httpEndpoint") == "enabled")
        #expect(options.string("httpPutResponseHopLimit") == "1")
        db["role"] = "logging"; db["host"] = hosts[1]; db["vcpu"] = "2"; db["memory_mib"] = "4096"; db["port"] = "9200"
        let logging = try await create(moto.spec(.instance, "logging01", db), token: "t-log01")
        #expect(logging.attributes["host"] == hosts[1])
        _ = try await create(moto.spec(.attachment, "db01-data", ["volume": "primary/volume.db01-data", "instance": "primary/instance.db01", "device": "/dev/sdf"]), token: "t-att")
        let expose = moto.spec(.firewallRule, "logging", ["firewall": "primary/firewall.main", "purpose": "logging", "protocol": "tcp", "port": "9200", "cidr": "198.51.100.0/24"])
        let rule = try await create(expose, token: "t-expose")
        let lb = try await create(moto.spec(.loadBalancer, "web", [
            "network": "primary/network.main", "firewall": "primary/firewall.main", "type": "application", "scheme": "internal",
            "listeners": "https/443>8080;http/80>8080", "certificate": "file:\(bundlePath)", "health_check": "http:/healthz:8080",
        ]), token: "t-lb")
        #expect(lb.outputs["certificate_arn"]?.hasPrefix("arn:aws:acm:") == true)
        #expect(!lb.outputs.values.contains { $0.contains("PRIVATE KEY") } && !lb.attributes.values.contains { $0.contains("PRIVATE KEY") })
        _ = try await create(moto.spec(.lbTarget, "web-db01", ["load_balancer": "primary/load_balancer.web", "instance": "primary/instance.db01", "port": "8080"]), token: "t-tgt")
        _ = try await create(moto.spec(.vpn, "office", ["network": "primary/network.main", "peer_ip": "203.0.113.7", "remote_cidrs": "192.168.0.0/16"]), token: "t-vpn")

        // Refresh finds every kind by tag, with attributes under the planner's keys.
        let live = try await moto.driver.refresh(RefreshRequest(pod: pod, region: region)).resources
        let byAddress = Dictionary(live.map { ($0.address.description, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(Set(byAddress.keys) == Set(recorded.keys.map(\.description)))
        #expect(live.count == 11)
        #expect(byAddress["primary/firewall.main"]?.resource.attributes["ingress"] == "tcp/443/0.0.0.0/0;tcp/5432/10.40.0.0/16")
        #expect(byAddress["primary/firewall.main"]?.resource.attributes["network"] == "primary/network.main")
        #expect(byAddress["primary/firewall_rule.logging"]?.resource.cloudID == rule.cloudID)
        #expect(byAddress["primary/firewall_rule.logging"]?.operationToken == "t-expose")
        #expect(byAddress["primary/instance.db01"]?.resource.attributes["host"] == hosts[0])
        #expect(byAddress["primary/instance.db01"]?.resource.attributes["firewall"] == "primary/firewall.main")
        #expect(byAddress["primary/instance.db01"]?.resource.attributes["role"] == "db")
        #expect(byAddress["primary/volume.db01-data"]?.resource.attributes["key"] == "primary/key.storage")
        #expect(byAddress["primary/attachment.db01-data"]?.resource.attributes["instance"] == "primary/instance.db01")
        #expect(byAddress["primary/attachment.db01-data"]?.resource.attributes["device"] == "/dev/sdf")
        #expect(byAddress["primary/load_balancer.web"]?.resource.attributes["listeners"] == "http/80>8080;https/443>8080")
        #expect(byAddress["primary/load_balancer.web"]?.resource.attributes["health_check"] == "http:/healthz:8080")
        #expect(byAddress["primary/lb_target.web-db01"]?.resource.attributes["instance"] == "primary/instance.db01")
        #expect(byAddress["primary/vpn.office"]?.resource.attributes["peer_ip"] == "203.0.113.7")
        #expect(byAddress["primary/vpn.office"]?.resource.attributes["remote_cidrs"] == "192.168.0.0/16", "the static route, read back")
        #expect(byAddress["primary/key.storage"]?.resource.cloudID == kms.cloudID)

        // In place: firewall difference, volume growth, concealing logging = exactly one revoke.
        var wider = firewall
        wider.attributes["ingress"] = "tcp/443/0.0.0.0/0;tcp/8443/0.0.0.0/0"
        moto.counter.reset()
        _ = try await moto.apply(.update, wider, pod: pod, token: "t-fw-2", prior: fw, dependencies: recorded)
        #expect(moto.counter.perKey["AuthorizeSecurityGroupIngress"] == 1 && moto.counter.perKey["RevokeSecurityGroupIngress"] == 1)
        var bigger = volume
        bigger.attributes["size_gib"] = "40"
        let grown = try await moto.apply(.update, bigger, pod: pod, token: "t-vol-2", prior: vol, dependencies: recorded)
        #expect(grown?.attributes["size_gib"] == "40")
        moto.counter.reset()
        _ = try await moto.apply(.delete, expose, pod: pod, token: "t-conceal", prior: rule)
        #expect(moto.counter.perKey == ["RevokeSecurityGroupIngress": 1], "conceal is exactly one rule change")
        let after = try await moto.driver.refresh(RefreshRequest(pod: pod, region: region)).resources
        #expect(!after.contains { $0.kind == .firewallRule })
        #expect(after.first { $0.address == firewall.address }?.resource.attributes["ingress"] == "tcp/443/0.0.0.0/0;tcp/8443/0.0.0.0/0")
        #expect(after.first { $0.address == volume.address }?.resource.attributes["size_gib"] == "40")

        // Delete everything in reverse dependency order; nothing tagged with the pod stays live.
        for resource in after.sorted(by: { $0.kind > $1.kind }) {
            let spec = ResourceSpec(address: resource.address, kind: resource.kind, provider: .aws, cloudRegion: region, attributes: resource.resource.attributes)
            _ = try await moto.apply(.delete, spec, pod: pod, token: "del-\(resource.address)", prior: resource.resource, dependencies: recorded)
        }
        let empty = try await moto.driver.refresh(RefreshRequest(pod: pod, region: region)).resources
        #expect(empty.isEmpty, "left behind: \(empty.map(\.address))")
    }

    @Test func placementOnAnUnknownHostIsRefused() async throws {
        let moto = try MotoFixture()
        let network = moto.spec(.network, "main", ["cidr": "10.41.0.0/16", "subnet_cidr": "10.41.1.0/24", "zone": "us-east-1a"])
        let net = try #require(try await moto.apply(.create, network, pod: "p", token: "n"))
        let firewall = moto.spec(.firewall, "main", ["network": "primary/network.main", "ingress": ""])
        let fw = try #require(try await moto.apply(.create, firewall, pod: "p", token: "f", dependencies: [network.address: net]))
        let instance = moto.spec(.instance, "app01", ["role": "app", "vcpu": "2", "memory_mib": "4096", "host": "h-0123456789abcdef0",
                                                      "zone": "us-east-1a", "network": "primary/network.main", "firewall": "primary/firewall.main"])
        await #expect(throws: DriverError.self) {
            _ = try await moto.apply(.create, instance, pod: "p", token: "i", dependencies: [network.address: net, firewall.address: fw])
        }
    }
}
