@testable import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Foundation
import Testing

/// The conformance cases of the network's parts against the stricter moto (`MotoStrictNetworkTests`):
/// `subnet`, `internet_gw`, `route_table` and `vpc_endpoint` are made, read back as planned (a
/// second plan is clean), changed in place where their kind says so, finished after a create killed
/// part-way, and removed without leaving anything in the VPC.
@Suite struct NetworkLayoutHandlerTests {
    static let region = "us-east-1"

    static func address(_ text: String) -> ResourceAddress { ResourceAddress(parsing: "primary/" + text)! }

    /// A made network (`10.<octet>.0.0/16`, first subnet in us-east-1a), recorded.
    static func network(_ moto: MotoFixture, pod: String, octet: Int) async throws -> [ResourceAddress: CloudResource] {
        let network = moto.spec(.network, "main", NetworkSpec(.made(cidr: "10.\(octet).0.0/16", subnetCIDR: "10.\(octet).0.0/24", zone: "us-east-1a")).attributes)
        return [network.address: try #require(try await moto.apply(.create, network, pod: pod, token: "\(pod)-net", firstUse: true))]
    }

    /// Creates `spec` and records it.
    static func make(_ moto: MotoFixture, _ spec: ResourceSpec, pod: String, into recorded: inout [ResourceAddress: CloudResource]) async throws {
        recorded[spec.address] = try #require(try await moto.apply(
            .create, spec, pod: pod, token: "\(pod)-\(spec.address.kind)-\(spec.address.name)", dependencies: recorded, firstUse: true))
    }

    /// What refresh reads back for `address`.
    static func live(_ moto: MotoFixture, pod: String, _ address: ResourceAddress) async throws -> LiveResource? {
        try await moto.driver.refresh(RefreshRequest(pod: pod, region: region)).resources.first { $0.address == address }
    }

    @Test func aPublicLayoutIsMadeReadBackAsPlannedAndRemovedWithoutLeftovers() async throws {
        let moto = try MotoFixture()
        let pod = "layout-\(UUID().uuidString.prefix(6).lowercased())"
        let octet = Int.random(in: 100...199)
        var recorded = try await Self.network(moto, pod: pod, octet: octet)
        let network = Self.address("network.main")
        let vpc = try #require(recorded[network]?.cloudID)
        let client = moto.driver.client

        let subnets = [
            moto.spec(.subnet, "private-2", SubnetSpec(network: network, cidr: "10.\(octet).1.0/24", zone: "us-east-1b", tier: .private).attributes),
            moto.spec(.subnet, "public-1", SubnetSpec(network: network, cidr: "10.\(octet).2.0/24", zone: "us-east-1a", tier: .public).attributes),
            moto.spec(.subnet, "public-2", SubnetSpec(network: network, cidr: "10.\(octet).3.0/24", zone: "us-east-1b", tier: .public).attributes),
        ]
        for spec in subnets { try await Self.make(moto, spec, pod: pod, into: &recorded) }
        let gateway = moto.spec(.internetGateway, "main", InternetGatewaySpec(network: network).attributes)
        try await Self.make(moto, gateway, pod: pod, into: &recorded)
        let vpn = moto.spec(.vpn, "main", VPNSpec(network: network, peerIP: "203.0.113.20", remoteCIDRs: ["192.168.0.0/16"]).attributes)
        try await Self.make(moto, vpn, pod: pod, into: &recorded)
        let privateTable = moto.spec(.routeTable, "private", RouteTableSpec(
            network: network, subnets: [network, Self.address("subnet.private-2")], vpn: vpn.address).attributes)
        let publicTable = moto.spec(.routeTable, "public", RouteTableSpec(
            network: network, subnets: [Self.address("subnet.public-1"), Self.address("subnet.public-2")], internetGateway: gateway.address).attributes)
        try await Self.make(moto, privateTable, pod: pod, into: &recorded)
        try await Self.make(moto, publicTable, pod: pod, into: &recorded)
        let endpoint = moto.spec(.vpcEndpoint, "s3", VPCEndpointSpec(network: network, service: "s3", routeTables: [privateTable.address]).attributes)
        try await Self.make(moto, endpoint, pod: pod, into: &recorded)

        // What EC2 has: the subnets in two zones, the gateway attached, the tables' routes.
        let madeSubnets = try await client.query(.ec2, "DescribeSubnets", region: Self.region, ["Filter.1.Name": "vpc-id", "Filter.1.Value.1": vpc])
            .list("subnetSet")
        #expect(madeSubnets.count == 4 && Set(madeSubnets.compactMap { $0.string("availabilityZone") }).count == 2)
        #expect(madeSubnets.filter { $0.tags[SubnetHandler.tierTag] == "public" }.count == 2)
        let igw = try await client.query(.ec2, "DescribeInternetGateways", region: Self.region, ["InternetGatewayId.1": recorded[gateway.address]!.cloudID])
            .list("internetGatewaySet").first
        #expect(igw?.list("attachmentSet").compactMap { $0.string("vpcId") } == [vpc])
        func table(_ address: ResourceAddress) async throws -> XMLNode? {
            try await client.query(.ec2, "DescribeRouteTables", region: Self.region, ["RouteTableId.1": recorded[address]!.cloudID]).list("routeTableSet").first
        }
        let privateRoutes = try #require(try await table(privateTable.address))
        #expect(privateRoutes.list("propagatingVgwSet").compactMap { $0.string("gatewayId") } == [recorded[vpn.address]?.outputs["vpn_gateway_id"]])
        #expect(privateRoutes.list("routeSet").contains { $0.string("gatewayId") == recorded[endpoint.address]?.cloudID && $0.string("destinationPrefixListId") != nil },
                "the private subnets' egress: the S3 endpoint's route")
        #expect(!privateRoutes.list("routeSet").contains { $0.string("destinationCidrBlock") == "0.0.0.0/0" }, "no route to the internet")
        #expect(privateRoutes.list("associationSet").compactMap { $0.string("subnetId") }.count == 2)
        let publicRoutes = try #require(try await table(publicTable.address))
        #expect(publicRoutes.list("routeSet").contains {
            $0.string("destinationCidrBlock") == "0.0.0.0/0" && $0.string("gatewayId") == recorded[gateway.address]?.cloudID
        })

        // An internet-facing application load balancer in the public subnets: the stricter moto takes it.
        let firewall = moto.spec(.firewall, "main", ["network": network.description, "ingress": "tcp/443/0.0.0.0/0"])
        try await Self.make(moto, firewall, pod: pod, into: &recorded)
        let balancer = moto.spec(.loadBalancer, "main", LoadBalancerSpec(
            network: network, firewall: firewall.address, type: "application", scheme: "internet-facing",
            listeners: [ListenerSpec(proto: "http", port: 80, targetPort: 8080)], healthCheck: nil, certificate: nil,
            subnets: [Self.address("subnet.public-1"), Self.address("subnet.public-2")], internetGateway: gateway.address).attributes)
        try await Self.make(moto, balancer, pod: pod, into: &recorded)
        let zones = try await client.query(.elbv2, "DescribeLoadBalancers", region: Self.region, ["LoadBalancerArns.member.1": recorded[balancer.address]!.cloudID])
            .list("DescribeLoadBalancersResult", "LoadBalancers").first?.list("AvailabilityZones") ?? []
        #expect(Set(zones.compactMap { $0.string("SubnetId") }) == [recorded[subnets[1].address]!.cloudID, recorded[subnets[2].address]!.cloudID])

        // Read back as planned: every attribute refresh reports is the recorded one.
        let found = try await moto.driver.refresh(RefreshRequest(pod: pod, region: Self.region)).resources
        for spec in subnets + [gateway, privateTable, publicTable, endpoint] {
            let live = try #require(found.first { $0.address == spec.address }, "\(spec.address) read back")
            #expect(live.resource.cloudID == recorded[spec.address]?.cloudID)
            for (key, value) in live.resource.attributes where !value.isEmpty || spec.kind.emptyMeansNone.contains(key) {
                #expect((spec.attributes[key] ?? "") == value, "\(spec.address) \(key)")
            }
        }

        // In place: the VPN's propagation off, a subnet out of the private table.
        let narrower = moto.spec(.routeTable, "private", RouteTableSpec(network: network, subnets: [network]).attributes)
        _ = try await moto.apply(.update, narrower, pod: pod, token: "\(pod)-rt-2", prior: recorded[privateTable.address], dependencies: recorded)
        let narrowed = try #require(try await table(privateTable.address))
        #expect(narrowed.list("propagatingVgwSet").isEmpty && narrowed.list("associationSet").compactMap { $0.string("subnetId") }.count == 1)
        #expect(try await Self.live(moto, pod: pod, privateTable.address)?.resource.attributes["vpn"] == "", "read back without the VPN")

        // Removed in reverse rank order, nothing of the pod is left in the VPC but the network's own subnet.
        for address in recorded.keys.sorted(by: { $0.kind > $1.kind }) where address != network {
            let spec = [subnets, [gateway, vpn, privateTable, publicTable, endpoint, firewall, balancer]].joined().first { $0.address == address }!
            _ = try await moto.apply(.delete, spec, pod: pod, token: "\(pod)-del", prior: recorded[address], dependencies: recorded)
        }
        let left = try await moto.driver.refresh(RefreshRequest(pod: pod, region: Self.region)).resources.map(\.address)
        #expect(left == [network], "only the network is left: \(left)")
        let tables = try await client.query(.ec2, "DescribeRouteTables", region: Self.region, ["Filter.1.Name": "vpc-id", "Filter.1.Value.1": vpc])
            .list("routeTableSet")
        #expect(tables.count == 1, "only the VPC's main table")
    }

    /// A subnet in the block 0.1.0 gave an application load balancer's second subnet (tagged as the
    /// network's): `subnet.private-2` takes it over instead of failing on the conflict.
    @Test func aSubnetTakesOverTheSecondSubnetAnOlderReleaseMadeForTheBalancer() async throws {
        let moto = try MotoFixture()
        let pod = "takeover-\(UUID().uuidString.prefix(6).lowercased())"
        let octet = Int.random(in: 200...250)
        let recorded = try await Self.network(moto, pod: pod, octet: octet)
        let network = Self.address("network.main")
        let vpc = try #require(recorded[network]?.cloudID)
        let legacy = try #require(try await moto.driver.client.query(.ec2, "CreateSubnet", region: Self.region, [
            "VpcId": vpc, "CidrBlock": "10.\(octet).1.0/24", "AvailabilityZone": "us-east-1b",
            "TagSpecification.1.ResourceType": "subnet", "TagSpecification.1.Tag.1.Key": CatalyzeTag.pod, "TagSpecification.1.Tag.1.Value": pod,
            "TagSpecification.1.Tag.2.Key": CatalyzeTag.address, "TagSpecification.1.Tag.2.Value": network.description,
            "TagSpecification.1.Tag.3.Key": AWSDriver.subnetTag, "TagSpecification.1.Tag.3.Value": "2",
        ]).string("subnet", "subnetId"))
        let spec = moto.spec(.subnet, "private-2", SubnetSpec(network: network, cidr: "10.\(octet).1.0/24", zone: "us-east-1b", tier: .private).attributes)
        let made = try #require(try await moto.apply(.create, spec, pod: pod, token: "\(pod)-sub", dependencies: recorded, firstUse: true))
        #expect(made.cloudID == legacy)
        let live = try #require(try await Self.live(moto, pod: pod, spec.address))
        #expect(live.resource.cloudID == legacy && live.resource.attributes["tier"] == "private")
        #expect(try await Self.live(moto, pod: pod, network)?.resource.outputs["subnet_ids"]?.contains(legacy) == false,
                "the network no longer reads it as its own")
        // Another's subnet in the block is not taken: the conflict is reported.
        let other = moto.spec(.subnet, "private-2", SubnetSpec(network: network, cidr: "10.\(octet).1.0/24", zone: "us-east-1b", tier: .private).attributes)
        await #expect(throws: DriverError.self) {
            _ = try await moto.apply(.create, other, pod: pod + "-other", token: "\(pod)-other", dependencies: recorded, firstUse: true)
        }
    }

    /// An internet gateway made but not attached (a create killed between the two calls) is read
    /// back under its address, attached by the next apply, and deleted by a destroy.
    @Test func anInternetGatewayKilledBeforeItsAttachmentIsFinishedOrDeleted() async throws {
        let moto = try MotoFixture()
        let pod = "igw-\(UUID().uuidString.prefix(6).lowercased())"
        let recorded = try await Self.network(moto, pod: pod, octet: Int.random(in: 20...99))
        let network = Self.address("network.main")
        let spec = moto.spec(.internetGateway, "main", InternetGatewaySpec(network: network).attributes)
        let token = "\(pod)-igw"
        let orphan = try #require(try await moto.driver.client.query(.ec2, "CreateInternetGateway", region: Self.region, [
            "TagSpecification.1.ResourceType": "internet-gateway", "TagSpecification.1.Tag.1.Key": CatalyzeTag.pod, "TagSpecification.1.Tag.1.Value": pod,
            "TagSpecification.1.Tag.2.Key": CatalyzeTag.address, "TagSpecification.1.Tag.2.Value": spec.address.description,
            "TagSpecification.1.Tag.3.Key": CatalyzeTag.operation, "TagSpecification.1.Tag.3.Value": token,
        ]).string("internetGateway", "internetGatewayId"))
        let read = try #require(try await Self.live(moto, pod: pod, spec.address), "a killed create is read back by its tags")
        #expect(read.resource.cloudID == orphan && read.operationToken == token)
        let made = try #require(try await moto.apply(.create, spec, pod: pod, token: token, dependencies: recorded))
        #expect(made.cloudID == orphan, "the next apply finishes it")
        #expect(try await Self.live(moto, pod: pod, spec.address)?.resource.attributes["network"] == network.description)
        _ = try await moto.apply(.delete, spec, pod: pod, token: "\(pod)-del", prior: made, dependencies: recorded)
        #expect(try await Self.live(moto, pod: pod, spec.address) == nil)
    }
}
