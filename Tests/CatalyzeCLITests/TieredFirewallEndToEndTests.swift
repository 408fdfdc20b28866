import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Foundation
import Testing

/// The built `catalyze` against moto (with catalyze's stricter security groups, Tests/Peers/README.md):
/// after apply, asked of moto directly, every tier has its own security group admitting exactly its
/// callers (the table of the README and `man 5 catalyze-manifest`), by group reference; every
/// instance and the load balancer sit in their tier's group only; customer access lands on the
/// logging or monitoring group only; the next plan is clean and destroy leaves no group.
@Suite(.serialized) struct TieredFirewallEndToEndTests {
    /// What moto holds for a pod's security groups in one region.
    struct Groups {
        /// `tier proto/port/source` per ingress rule: the source a tier's name (a group reference
        /// to one of the pod's groups), `?sg-…` (a group that is none of them) or a CIDR.
        var rules: Set<String> = []
        /// Group id by tier name (the `catalyze:address` name).
        var ids: [String: String] = [:]
        /// Group ids of each instance, by its `catalyze:address`, with its role.
        var instances: [String: (role: String, groups: [String])] = [:]
        /// Group ids of each of the pod's load balancers.
        var balancers: [[String]] = []

        /// The tier of a group id.
        func tier(_ id: String) -> String { ids.first { $0.value == id }?.key ?? "?\(id)" }
    }

    /// Reads DescribeSecurityGroups, DescribeInstances (pending and running) and DescribeLoadBalancers
    /// for `pod` in `region` straight from moto.
    static func groups(_ ws: EndToEndAWSTests.Workspace, pod: String, region: String) async throws -> Groups {
        let client = try EndToEndAWSTests.backupClient(ws)
        let filters = ["Filter.1.Name": "tag:\(CatalyzeTag.pod)", "Filter.1.Value.1": pod]
        var found = Groups()
        let groups = try await client.query(.ec2, "DescribeSecurityGroups", region: region, filters).list("securityGroupInfo")
        for group in groups {
            let name = group.tags[CatalyzeTag.address].flatMap(ResourceAddress.init(parsing:))?.name ?? "?"
            found.ids[name] = group.string("groupId") ?? "?"
        }
        for group in groups {
            let tier = found.tier(group.string("groupId") ?? "")
            for permission in group.list("ipPermissions") {
                let proto = permission.string("ipProtocol") ?? "?"
                let from = permission.string("fromPort") ?? "", to = permission.string("toPort") ?? ""
                let ports = proto == "-1" ? "all" : (from == to ? from : "\(from)-\(to)")
                for range in permission.list("ipRanges") { found.rules.insert("\(tier) \(proto)/\(ports)/\(range.string("cidrIp") ?? "?")") }
                for pair in permission.list("groups") { found.rules.insert("\(tier) \(proto)/\(ports)/\(found.tier(pair.string("groupId") ?? ""))") }
            }
        }
        let live = ["Filter.2.Name": "instance-state-name", "Filter.2.Value.1": "running", "Filter.2.Value.2": "pending"]
        let reply = try await client.query(.ec2, "DescribeInstances", region: region, filters.merging(live) { a, _ in a })
        for item in reply.list("reservationSet").flatMap({ $0.list("instancesSet") }) {
            found.instances[item.tags[CatalyzeTag.address] ?? "?"] = (
                item.tags["catalyze:role"] ?? "?", item.list("groupSet").compactMap { $0.string("groupId") })
        }
        let balancers = try await client.query(.elbv2, "DescribeLoadBalancers", region: region).list("DescribeLoadBalancersResult", "LoadBalancers")
        let pods = Set(found.ids.values)
        for balancer in balancers {
            let ids = balancer.list("SecurityGroups").map(\.text)
            if ids.contains(where: pods.contains) { found.balancers.append(ids) }
        }
        return found
    }

    /// What holds for every tiered pod: no pod-wide group; no port range, no `all`, no group outside
    /// the pod; a CIDR only on the load balancer, on SSH (22) from `vpn`, or on the logging and
    /// monitoring tiers' own ports (customer access); each instance in exactly its role's group and
    /// each balancer in exactly the `lb` group.
    static func expectTiered(_ groups: Groups, vpn: String, customerPorts: [String: Int], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(groups.ids["main"] == nil, "the pod-wide group is gone", sourceLocation: sourceLocation)
        for rule in groups.rules {
            let parts = rule.split(separator: " ", maxSplits: 1).map(String.init)
            let (tier, text) = (parts[0], parts[1])
            let pieces = text.split(separator: "/", maxSplits: 2).map(String.init)
            #expect(pieces[0] == "tcp" && Int(pieces[1]) != nil, "\(rule): one TCP port", sourceLocation: sourceLocation)
            #expect(!pieces[2].hasPrefix("?"), "\(rule): a group outside the pod", sourceLocation: sourceLocation)
            guard pieces[2].first?.isNumber == true else { continue }  // a group reference
            let port = Int(pieces[1]) ?? -1
            let allowed = tier == "lb" || (port == 22 && pieces[2] == vpn) || customerPorts[tier] == port
            #expect(allowed, "\(rule): a CIDR where the tier admits none", sourceLocation: sourceLocation)
        }
        for (address, instance) in groups.instances {
            #expect(instance.groups == [groups.ids[instance.role] ?? "missing \(instance.role) group"],
                    "\(address) sits in exactly its tier's group", sourceLocation: sourceLocation)
        }
        #expect(!groups.balancers.isEmpty && groups.balancers.allSatisfy { $0 == [groups.ids["lb"] ?? "missing lb group"] },
                "the balancer sits in exactly the lb group", sourceLocation: sourceLocation)
    }

    @Test func eachTierAdmitsOnlyItsCallersAndCustomerAccessLandsOnItsTier() async throws {
        let ws = try await EndToEndAWSTests.workspace(regions: ["us-east-1"])
        defer { ws.moto.stop(); ws.folder.remove() }
        try FileManager.default.removeItem(atPath: ws.folder.path("pod.yaml"))
        try FileManager.default.copyItem(
            atPath: repositoryRoot.appendingPathComponent("Tests/Fixtures/pods/single-region-aws.yaml").path, toPath: ws.folder.path("pod.yaml"))
        let steps = PlanSteps(folder: ws.folder.url, environment: ws.environment)
        try await steps.converge("first apply")

        let vpn = "192.168.0.0/16"
        var expected: Set<String> = [
            "lb tcp/443/0.0.0.0/0", "lb tcp/443/monitoring",
            "app tcp/22/\(vpn)", "app tcp/8080/lb", "app tcp/8080/monitoring",
            "api tcp/22/\(vpn)", "api tcp/8443/lb", "api tcp/8443/monitoring",
            "db tcp/22/\(vpn)", "db tcp/5432/app", "db tcp/5432/api", "db tcp/5432/db", "db tcp/5432/monitoring",
            "logging tcp/22/\(vpn)", "logging tcp/9200/app", "logging tcp/9200/api", "logging tcp/9200/db", "logging tcp/9200/monitoring",
            "monitoring tcp/22/\(vpn)", "monitoring tcp/9090/192.168.10.0/24",  // the manifest's monitoring customer access
        ]
        let applied = try await Self.groups(ws, pod: "acme-one", region: "us-east-1")
        #expect(applied.rules == expected, "extra: \(applied.rules.subtracting(expected).sorted()) missing: \(expected.subtracting(applied.rules).sorted())")
        #expect(applied.ids.keys.sorted() == ["api", "app", "db", "lb", "logging", "monitoring"])
        #expect(applied.instances.count == 7)
        Self.expectTiered(applied, vpn: vpn, customerPorts: ["logging": 9200, "monitoring": 9090])

        // Customer access to logging: one rule, on the logging group only; the next plan is clean.
        let exposed = try await ws.catalyze("access", "expose", "logging", "--cidr", "198.51.100.0/24")
        try #require(exposed.status == 0, "\(exposed.stdout)\n\(exposed.stderr)")
        expected.insert("logging tcp/9200/198.51.100.0/24")
        #expect(try await Self.groups(ws, pod: "acme-one", region: "us-east-1").rules == expected)
        #expect(try await ws.catalyze("plan", "--detailed-exitcode").status == 0, "clean after expose")
        #expect(try await ws.catalyze("access", "conceal", "logging").status == 0)
        expected.remove("logging tcp/9200/198.51.100.0/24")
        #expect(try await Self.groups(ws, pod: "acme-one", region: "us-east-1").rules == expected)

        #expect(try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data").status == 0)
        #expect(try await Self.groups(ws, pod: "acme-one", region: "us-east-1").ids.isEmpty, "no security group left")
    }
}
