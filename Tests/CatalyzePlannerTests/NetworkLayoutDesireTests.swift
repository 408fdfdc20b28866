import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeTestSupport
import Foundation
import Testing

/// What a region's network is made of on AWS (`SubnetDesire`'s `NetworkLayout` and the desires of
/// `subnet`, `internet_gw`, `route_table`, `vpc_endpoint` and the load balancer's subnets).
@Suite struct NetworkLayoutDesireTests {
    static func specs(_ manifest: PodManifest) -> [ResourceAddress: ResourceSpec] {
        var byAddress: [ResourceAddress: ResourceSpec] = [:]
        for spec in PlannerTests.desired(manifest) { byAddress[spec.address] = spec }
        return byAddress
    }

    static func address(_ text: String) -> ResourceAddress { ResourceAddress(parsing: text)! }

    @Test func anInternetFacingBalancerGetsPublicSubnetsInTwoZonesBehindAGateway() throws {
        let manifest = try PlannerTests.manifest()
        let specs = Self.specs(manifest)
        for region in ["primary", "dr"] {
            let subnets = try ["private-2", "public-1", "public-2"].map {
                try SubnetSpec(try #require(specs[Self.address("\(region)/subnet.\($0)")]))
            }
            let network = try #require(specs[Self.address("\(region)/network.main")])
            guard case let .made(_, subnetCIDR, zone) = try NetworkSpec(network).source else { Issue.record("made network"); continue }
            #expect(subnetCIDR == "10.40.0.0/24" && subnets.map(\.cidr) == ["10.40.1.0/24", "10.40.2.0/24", "10.40.3.0/24"])
            #expect(subnets.map(\.tier) == [.private, .public, .public])
            #expect(subnets[0].zone != zone && subnets[1].zone == zone && subnets[2].zone == subnets[0].zone, "two zones, a public subnet in each")
            #expect(specs[Self.address("\(region)/internet_gw.main")] != nil)
            let balancer = try LoadBalancerSpec(try #require(specs[Self.address("\(region)/load_balancer.main")]))
            #expect(balancer.subnets == [Self.address("\(region)/subnet.public-1"), Self.address("\(region)/subnet.public-2")])
            #expect(balancer.internetGateway == Self.address("\(region)/internet_gw.main"))
            let privateTable = try RouteTableSpec(try #require(specs[Self.address("\(region)/route_table.private")]))
            #expect(privateTable.subnets == [Self.address("\(region)/network.main"), Self.address("\(region)/subnet.private-2")])
            #expect(privateTable.vpn == Self.address("\(region)/vpn.main") && privateTable.internetGateway == nil)
            let publicTable = try RouteTableSpec(try #require(specs[Self.address("\(region)/route_table.public")]))
            #expect(publicTable.internetGateway == Self.address("\(region)/internet_gw.main") && publicTable.vpn == nil)
            let endpoint = try VPCEndpointSpec(try #require(specs[Self.address("\(region)/vpc_endpoint.s3")]))
            #expect(endpoint.service == "s3" && endpoint.routeTables == [Self.address("\(region)/route_table.private")])
        }
    }

    @Test func anInternalBalancerGetsThePrivateSubnetsAndNoGateway() throws {
        var manifest = try PlannerTests.manifest()
        manifest.loadBalancer.scheme = "internal"
        manifest.firewall.vpn = nil
        let specs = Self.specs(manifest)
        #expect(!specs.keys.contains { $0.kind == .internetGateway }, "no internet gateway")
        #expect(specs.keys.filter { $0.kind == .subnet }.map(\.name).sorted() == ["private-2", "private-2"])
        #expect(specs.keys.filter { $0.kind == .routeTable }.map(\.name) == ["private", "private"])
        let balancer = try LoadBalancerSpec(try #require(specs[Self.address("primary/load_balancer.main")]))
        #expect(balancer.subnets == [Self.address("primary/network.main"), Self.address("primary/subnet.private-2")] && balancer.internetGateway == nil)
        let table = try RouteTableSpec(try #require(specs[Self.address("primary/route_table.private")]))
        #expect(table.vpn == nil, "no VPN, no propagation")
    }

    /// An existing VPC brings its own subnets and routes; Rackspace has no such kinds.
    @Test func anExistingVPCOrAnotherCloudGetsNoneOfIt() throws {
        var manifest = try PlannerTests.manifest()
        manifest.regions[0].network = NetworkReference(vpc: "vpc-0123456789abcdef0", subnets: ["subnet-0a", "subnet-0b"])
        let specs = Self.specs(manifest)
        let kinds: Set<ResourceKind> = [.subnet, .internetGateway, .routeTable, .vpcEndpoint]
        #expect(!specs.keys.contains { $0.region == "primary" && kinds.contains($0.kind) })
        #expect(specs.keys.contains { $0.region == "dr" && $0.kind == .subnet })
        #expect(try LoadBalancerSpec(try #require(specs[Self.address("primary/load_balancer.main")])).subnets.isEmpty)
        let rackspace = Self.specs(try PlannerTests.manifest("dev-rax.yaml"))
        #expect(!rackspace.keys.contains { kinds.contains($0.kind) })
    }
}
