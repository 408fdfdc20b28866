@testable import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Foundation
import Testing

/// Networks against moto: a made network has two subnets in two zones and an ALB spans both; an
/// existing VPC named by the manifest is verified, used and never created or deleted.
@Suite struct AWSDriverNetworkTests {
    static let region = "us-east-1"

    /// A balancer whose spec names no subnets (one recorded before 0.2.0; an existing VPC): the
    /// network's subnets. Internal, since the stricter moto refuses an internet-facing one in a VPC
    /// without an internet gateway, as AWS does (`MotoStrictNetworkTests`).
    @Test func albGetsTheNetworksSecondSubnetInAnotherZoneAndSpansBoth() async throws {
        let moto = try MotoFixture()
        var recorded: [ResourceAddress: CloudResource] = [:]
        let network = moto.spec(.network, "main", ["cidr": "10.70.0.0/16", "subnet_cidr": "10.70.0.0/24", "zone": "us-east-1a"])
        let net = try #require(try await moto.apply(.create, network, pod: "two", token: "t-net", firstUse: true))
        recorded[network.address] = net
        func subnets() async throws -> [XMLNode] {
            try await moto.driver.client.query(.ec2, "DescribeSubnets", region: Self.region, ["Filter.1.Name": "vpc-id", "Filter.1.Value.1": net.cloudID])
                .list("subnetSet")
        }
        #expect(try await subnets().count == 1, "the network alone has the containers' subnet")
        #expect(net.outputs["subnet_id"] == (try await subnets()).first?.string("subnetId"))

        let firewall = moto.spec(.firewall, "main", ["network": "primary/network.main", "ingress": "tcp/80/0.0.0.0/0;tcp/443/0.0.0.0/0"])
        recorded[firewall.address] = try await moto.apply(.create, firewall, pod: "two", token: "t-fw", dependencies: recorded, firstUse: true)
        moto.counter.reset()
        let spec = moto.spec(.loadBalancer, "main", [
            "network": "primary/network.main", "firewall": "primary/firewall.main", "type": "application", "scheme": "internal",
            "listeners": "http/80>8080", "health_check": "http:/healthz:8080",
        ])
        let lb = try #require(try await moto.apply(.create, spec, pod: "two", token: "t-lb", dependencies: recorded, firstUse: true))
        #expect(moto.counter.perKey["DescribeLoadBalancers"] == nil && moto.counter.perKey["DescribeListeners"] == nil,
                "a first-use create looks for nothing of its own: \(moto.counter.perKey)")
        let all = try await subnets()
        #expect(all.count == 2)
        #expect(Set(all.compactMap { $0.string("availabilityZone") }).count == 2, "two zones")
        #expect(Set(all.compactMap { $0.string("cidrBlock") }) == ["10.70.0.0/24", "10.70.1.0/24"])
        let second = try #require(all.first { $0.string("cidrBlock") == "10.70.1.0/24" })
        #expect(second.tags[CatalyzeTag.address] == "primary/network.main" && second.tags["catalyze:subnet"] == "2", "the network's, by its tags")
        let balancer = try await moto.driver.client.query(.elbv2, "DescribeLoadBalancers", region: Self.region, ["LoadBalancerArns.member.1": lb.cloudID])
            .list("DescribeLoadBalancersResult", "LoadBalancers").first
        let zones = balancer?.list("AvailabilityZones") ?? []
        #expect(Set(zones.compactMap { $0.string("SubnetId") }) == Set(all.compactMap { $0.string("subnetId") }))
        #expect(Set(zones.compactMap { $0.string("ZoneName") }).count == 2)

        // A balancer made again (e.g. replaced) reuses the second subnet.
        moto.counter.reset()
        let again = try #require(try await moto.apply(.create, spec, pod: "two", token: "t-lb-2", dependencies: recorded, firstUse: true))
        #expect(moto.counter.perKey["CreateSubnet"] == nil && again.outputs["subnet_ids"] == lb.outputs["subnet_ids"])

        // Refresh reads the network back as planned: the first subnet's block and zone, both subnets.
        let live = try await moto.driver.refresh(RefreshRequest(pod: "two", region: Self.region)).resources
        let found = try #require(live.first { $0.address == network.address })
        #expect(found.resource.attributes == ["cidr": "10.70.0.0/16", "subnet_cidr": "10.70.0.0/24", "zone": "us-east-1a"])
        #expect(found.resource.outputs["subnet_ids"]?.split(separator: ",").count == 2)
        #expect(found.resource.outputs["subnet_id"] == net.outputs["subnet_id"])

        // Deleting the network removes both subnets and the VPC.
        for resource in [spec.address] {
            _ = try await moto.apply(.delete, moto.spec(.loadBalancer, resource.name, spec.attributes), pod: "two", token: "d-lb", prior: lb)
            _ = try await moto.apply(.delete, moto.spec(.loadBalancer, resource.name, spec.attributes), pod: "two", token: "d-lb2", prior: again)
        }
        _ = try await moto.apply(.delete, firewall, pod: "two", token: "d-fw", prior: recorded[firewall.address])
        _ = try await moto.apply(.delete, network, pod: "two", token: "d-net", prior: net)
        #expect(try await subnets().isEmpty)
    }

    @Test func neighbourBlockWrapsInsideTheNetwork() {
        #expect(AWSDriver.neighbourBlock(of: "10.40.0.0/24", in: "10.40.0.0/16") == "10.40.1.0/24")
        #expect(AWSDriver.neighbourBlock(of: "10.40.255.0/24", in: "10.40.0.0/16") == "10.40.0.0/24")
        #expect(AWSDriver.neighbourBlock(of: "10.40.0.0/16", in: "10.40.0.0/16") == nil)
    }

    @Test func existingVPCIsVerifiedUsedAndLeftAlone() async throws {
        let moto = try MotoFixture()
        let client = moto.driver.client
        let hosts = try await moto.allocateHosts(region: Self.region, zone: "us-east-1b", count: 1)
        let vpc = try #require(try await client.query(.ec2, "CreateVpc", region: Self.region, ["CidrBlock": "10.80.0.0/16"]).string("vpc", "vpcId"))
        var subnets: [String] = []
        for (n, zone) in ["us-east-1a", "us-east-1b"].enumerated() {
            let reply = try await client.query(.ec2, "CreateSubnet", region: Self.region, ["VpcId": vpc, "CidrBlock": "10.80.\(n).0/24", "AvailabilityZone": zone])
            subnets.append(try #require(reply.string("subnet", "subnetId")))
        }
        let attributes = ["vpc": vpc, "subnets": subnets.joined(separator: ",")]
        let network = moto.spec(.network, "main", attributes)
        moto.counter.reset()
        let net = try #require(try await moto.apply(.create, network, pod: "ref", token: "t-net", firstUse: true))
        #expect(net.cloudID == vpc && net.attributes == attributes)
        #expect(moto.counter.perKey["CreateVpc"] == nil && moto.counter.perKey["CreateSubnet"] == nil, "\(moto.counter.perKey)")

        // An instance on a host in us-east-1b goes into the us-east-1b subnet.
        var recorded = [network.address: net]
        let firewall = moto.spec(.firewall, "main", ["network": "primary/network.main", "ingress": "tcp/443/0.0.0.0/0"])
        recorded[firewall.address] = try await moto.apply(.create, firewall, pod: "ref", token: "t-fw", dependencies: recorded)
        let instance = try #require(try await moto.apply(.create, moto.spec(.instance, "app01", [
            "role": "app", "vcpu": "2", "memory_mib": "4096", "host": hosts[0], "zone": "us-east-1b",
            "network": "primary/network.main", "firewall": "primary/firewall.main", "port": "8080",
        ]), pod: "ref", token: "t-app01", dependencies: recorded, firstUse: true))
        let item = try await client.query(.ec2, "DescribeInstances", region: Self.region, ["InstanceId.1": instance.cloudID])
            .list("reservationSet").flatMap { $0.list("instancesSet") }.first
        #expect(item?.string("subnetId") == subnets[1] && item?.string("vpcId") == vpc)

        // Refresh reports it (untagged) when asked about it, with the planned attributes.
        let live = try await moto.driver.refresh(RefreshRequest(pod: "ref", region: Self.region, references: [network.address: attributes])).resources
        #expect(live.first { $0.address == network.address }?.resource.attributes == attributes)
        #expect(live.first { $0.kind == .firewall }?.resource.attributes["network"] == "primary/network.main")

        // Delete leaves the VPC and its subnets.
        _ = try await moto.apply(.delete, network, pod: "ref", token: "t-net-d", prior: net)
        #expect(try await client.query(.ec2, "DescribeVpcs", region: Self.region, ["VpcId.1": vpc]).list("vpcSet").count == 1)
        #expect(try await client.query(.ec2, "DescribeSubnets", region: Self.region, ["Filter.1.Name": "vpc-id", "Filter.1.Value.1": vpc]).list("subnetSet").count == 2)
    }

    @Test func missingVPCOrSubnetIsAnErrorNamingItAndTheRegion() async throws {
        let moto = try MotoFixture()
        let missing = moto.spec(.network, "main", ["vpc": "vpc-0123456789abcdef0", "subnets": "subnet-0123456789abcdef0"])
        await #expect {
            _ = try await moto.apply(.create, missing, pod: "ref", token: "t1")
        } throws: { error in
            "\(error)".contains("VPC vpc-0123456789abcdef0 does not exist in us-east-1")
        }
        let vpc = try #require(try await moto.driver.client.query(.ec2, "CreateVpc", region: Self.region, ["CidrBlock": "10.81.0.0/16"]).string("vpc", "vpcId"))
        let noSubnet = moto.spec(.network, "main", ["vpc": vpc, "subnets": "subnet-0123456789abcdef0"])
        await #expect {
            _ = try await moto.apply(.create, noSubnet, pod: "ref", token: "t2")
        } throws: { error in
            "\(error)".contains("subnet subnet-0123456789abcdef0 does not exist in VPC \(vpc) in us-east-1")
        }
        // A missing VPC is simply not live.
        let live = try await moto.driver.refresh(RefreshRequest(pod: "ref", region: Self.region, references: [missing.address: missing.attributes])).resources
        #expect(live.isEmpty)
    }
}
