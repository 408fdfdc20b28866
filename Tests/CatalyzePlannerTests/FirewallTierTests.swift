import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState
import Foundation
import Testing

/// The tier firewalls an AWS region wants (`FirewallTier`): exactly the table of the README and
/// `man 5 catalyze-manifest`, by group reference, with nothing wider.
@Suite struct FirewallTierTests {
    /// `tier proto/port/source` lines of a region's firewalls, the source a tier's name or a CIDR.
    static func table(_ specs: [ResourceSpec], region: String) throws -> Set<String> {
        var lines: Set<String> = []
        for spec in specs where spec.kind == .firewall && spec.address.region == region {
            let firewall = try FirewallSpec(attributes: spec.attributes)
            for rule in firewall.ingress {
                let source = rule.source.group.map(\.name) ?? rule.source.description
                lines.insert("\(spec.address.name) \(rule.proto)/\(rule.fromPort == rule.toPort ? "\(rule.fromPort)" : "\(rule.fromPort)-\(rule.toPort)")/\(source)")
            }
        }
        return lines
    }

    @Test func eachTierAdmitsOnlyItsCallersByReference() throws {
        let manifest = try PlannerTests.manifest()
        let specs = PlannerTests.desired(manifest)
        let firewalls = specs.filter { $0.kind == .firewall && $0.address.region == "primary" }
        #expect(firewalls.map(\.address.name) == ["api", "app", "db", "lb", "logging", "monitoring"], "a firewall per tier, no pod-wide one")
        let vpn = "192.168.0.0/16"
        let expected: Set<String> = [
            "lb tcp/443/0.0.0.0/0", "lb tcp/443/monitoring",
            "app tcp/22/\(vpn)", "app tcp/8080/lb", "app tcp/8080/monitoring",
            "api tcp/22/\(vpn)", "api tcp/8443/lb", "api tcp/8443/monitoring",
            "db tcp/22/\(vpn)", "db tcp/5432/app", "db tcp/5432/api", "db tcp/5432/db", "db tcp/5432/monitoring",
            "logging tcp/22/\(vpn)", "logging tcp/9200/app", "logging tcp/9200/api", "logging tcp/9200/db", "logging tcp/9200/monitoring",
            "monitoring tcp/22/\(vpn)",
        ]
        #expect(try Self.table(specs, region: "primary") == expected)
        #expect(try Self.table(specs, region: "dr") == expected, "the standby region has the same tiers")

        // Each firewall depends on the ones it admits (made first), never on itself.
        let db = try #require(firewalls.first { $0.address.name == "db" })
        #expect(db.dependencies.map(\.description) == ["primary/firewall.api", "primary/firewall.app", "primary/firewall.monitoring", "primary/network.main"])
        #expect(try #require(firewalls.first { $0.address.name == "monitoring" }).dependencies.map(\.description) == ["primary/network.main"])

        // Members sit in their tier's firewall; customer access is on the monitoring tier's own.
        for spec in specs where spec.kind == .instance {
            #expect(spec.attributes["firewall"] == "\(spec.address.region)/firewall.\(spec.attributes["role"] ?? "?")")
        }
        #expect(specs.first { $0.kind == .loadBalancer && $0.address.region == "primary" }?.attributes["firewall"] == "primary/firewall.lb")
        let access = try #require(specs.first { $0.address.description == "primary/firewall_rule.monitoring-access" })
        #expect(access.attributes["firewall"] == "primary/firewall.monitoring" && access.attributes["port"] == "9090")
    }

    /// Only the tiers a region runs are made or referred to; behind a network load balancer
    /// (no security group, the client's address kept) app admits the ingress CIDRs itself.
    @Test func absentTiersAreNeitherMadeNorReferred() throws {
        var manifest = try PlannerTests.manifest()
        manifest.databases = []
        manifest.logging.enabled = false
        manifest.monitoring.enabled = false
        manifest.loadBalancer.type = "network"
        let specs = PlannerTests.desired(manifest)
        #expect(specs.filter { $0.kind == .firewall && $0.address.region == "primary" }.map(\.address.name) == ["api", "app", "lb"])
        let table = try Self.table(specs, region: "primary")
        #expect(!table.contains { $0.hasSuffix("/db") || $0.hasSuffix("/monitoring") || $0.hasSuffix("/logging") })
        #expect(table.contains("app tcp/8080/0.0.0.0/0") && table.contains("app tcp/8080/10.40.0.0/16"))
        #expect(table.contains("api tcp/8443/0.0.0.0/0") && table.contains("app tcp/8080/lb"))
    }

    /// Rackspace keeps its one pod-wide group (no tiers there yet).
    @Test func rackspaceKeepsThePodWideFirewall() throws {
        let specs = PlannerTests.desired(try PlannerTests.manifest("dev-rax.yaml"))
        #expect(specs.filter { $0.kind == .firewall }.map(\.address.name).allSatisfy { $0 == "main" })
        #expect(specs.filter { $0.kind == .instance }.allSatisfy { $0.attributes["firewall"]?.hasSuffix("/firewall.main") == true })
    }

    /// A rule's source is typed: a CIDR or a firewall's address, in the one canonical text.
    @Test func ruleSourcesParseAsCIDROrFirewall() throws {
        #expect(IngressRuleSpec(parsing: "tcp/5432/primary/firewall.app")?.source == .group(ResourceAddress(region: "primary", kind: .firewall, name: "app")))
        #expect(IngressRuleSpec(parsing: "tcp/443/0.0.0.0/0")?.source == .cidr("0.0.0.0/0"))
        #expect(IngressRuleSpec(parsing: "tcp/443/2001:db8::/32")?.source == .cidr("2001:db8::/32"))
        #expect(IngressRuleSpec(parsing: "tcp/5432/primary/instance.db01") == nil, "only a firewall can be a source")
        #expect(throws: MalformedSpecText.self) { try FirewallSpec(attributes: ["network": "primary/network.main", "ingress": "", "sources": "nonsense"]) }
    }
}
