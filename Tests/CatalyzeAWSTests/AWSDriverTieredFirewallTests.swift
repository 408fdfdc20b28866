import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Foundation
import Testing

/// Tier firewalls against moto: a rule admitting another firewall of the pod is a security-group
/// reference (by EC2 group id), read back as that firewall's address; an update changes only the
/// difference; a rule naming a firewall that is not a dependency is refused before any call.
@Suite struct AWSDriverTieredFirewallTests {
    @Test func groupReferencesAreMadeReadBackAndUpdated() async throws {
        let moto = try MotoFixture()
        let pod = "tiers"
        var recorded: [ResourceAddress: CloudResource] = [:]
        func apply(_ operation: CatalyzeModel.Operation, _ spec: ResourceSpec, token: String) async throws -> CloudResource? {
            let made = try await moto.apply(operation, spec, pod: pod, token: token, prior: recorded[spec.address], dependencies: recorded)
            recorded[spec.address] = made
            return made
        }
        let network = moto.spec(.network, "main", ["cidr": "10.40.0.0/16", "subnet_cidr": "10.40.1.0/24", "zone": "us-east-1a"])
        _ = try await apply(.create, network, token: "t-net")
        let ssh = "tcp/22/192.168.0.0/16"
        let app = moto.spec(.firewall, "app", ["network": "primary/network.main", "ingress": ssh])
        let appGroup = try #require(try await apply(.create, app, token: "t-app")).cloudID
        let dbIngress = "tcp/22/192.168.0.0/16;tcp/5432/primary/firewall.app;tcp/5432/primary/firewall.db"
        let db = moto.spec(.firewall, "db", ["network": "primary/network.main", "ingress": dbIngress, "sources": "primary/firewall.app"])
        #expect(db.dependencies.map(\.description) == ["primary/firewall.app", "primary/network.main"], "made after the group it admits")
        let made = try #require(try await apply(.create, db, token: "t-db"))
        #expect(made.attributes["ingress"] == dbIngress && made.attributes["sources"] == "primary/firewall.app")

        // As EC2 holds it: the sources are group ids (the app group's and its own), no CIDR but the VPN's.
        func permissions(_ group: String) async throws -> [String] {
            let reply = try await moto.driver.client.query(.ec2, "DescribeSecurityGroups", region: "us-east-1", ["GroupId.1": group])
            return reply.list("securityGroupInfo").first?.list("ipPermissions").flatMap { permission in
                let port = "\(permission.string("ipProtocol") ?? "")/\(permission.string("fromPort") ?? "")-\(permission.string("toPort") ?? "")"
                return permission.list("ipRanges").compactMap { $0.string("cidrIp").map { "\(port) \($0)" } }
                    + permission.list("groups").compactMap { $0.string("groupId").map { "\(port) \($0)" } }
            }.sorted() ?? []
        }
        #expect(try await permissions(made.cloudID) == ["tcp/22-22 192.168.0.0/16", "tcp/5432-5432 \(appGroup)", "tcp/5432-5432 \(made.cloudID)"].sorted())

        // Read back by address, as the plan wrote it.
        let live = try await moto.driver.refresh(RefreshRequest(pod: pod, region: "us-east-1")).resources
        let read = try #require(live.first { $0.address == db.address })
        #expect(read.resource.attributes["ingress"] == dbIngress)
        #expect(read.resource.attributes["sources"] == "primary/firewall.app")
        #expect(live.first { $0.address == app.address }?.resource.attributes["sources"] == nil, "no sources: none read back")

        // Update: the app reference goes, replication stays: one revoke, no authorize.
        var narrower = db
        narrower.attributes["ingress"] = "tcp/22/192.168.0.0/16;tcp/5432/primary/firewall.db"
        narrower.attributes["sources"] = nil
        moto.counter.reset()
        _ = try await apply(.update, narrower, token: "t-db-2")
        #expect(moto.counter.perKey["RevokeSecurityGroupIngress"] == 1 && moto.counter.perKey["AuthorizeSecurityGroupIngress"] == nil)
        #expect(try await permissions(made.cloudID) == ["tcp/22-22 192.168.0.0/16", "tcp/5432-5432 \(made.cloudID)"].sorted())

        // A rule admitting a firewall that is not a dependency: refused, nothing sent.
        let dangling = moto.spec(.firewall, "api", ["network": "primary/network.main", "ingress": "tcp/8443/primary/firewall.lb"])
        moto.counter.reset()
        await #expect(throws: DriverError.self) { _ = try await moto.apply(.create, dangling, pod: pod, token: "t-api", dependencies: recorded) }
        #expect(moto.counter.perKey["AuthorizeSecurityGroupIngress"] == nil)

        for address in [db.address, app.address] {
            _ = try await moto.apply(.delete, moto.spec(.firewall, address.name, [:]), pod: pod, token: "d-\(address.name)", prior: recorded[address])
        }
        _ = try await moto.apply(.delete, network, pod: pod, token: "d-net", prior: recorded[network.address])
        #expect(try await moto.driver.refresh(RefreshRequest(pod: pod, region: "us-east-1")).resources.isEmpty)
    }
}
