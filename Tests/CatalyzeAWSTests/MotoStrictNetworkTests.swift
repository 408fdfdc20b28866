import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeTestSupport
import Foundation
import Testing

/// catalyze's stricter moto (Tests/Peers/run_moto.py, `install_strict_balancer_network`; the table
/// in Tests/Peers/README.md): what AWS refuses of a load balancer's network and moto 5.2.1 accepts,
/// and VGW route propagation, which moto lacks. Each case fails on plain moto.
@Suite struct MotoStrictNetworkTests {
    let client: AWSClient
    let region = "us-east-1"

    init() throws { client = try MotoFixture().driver.client }

    func ec2(_ action: String, _ parameters: [String: String] = [:]) async throws -> XMLNode {
        try await client.query(.ec2, action, region: region, parameters)
    }

    /// A new VPC with one subnet in each of `zones`: (vpc, subnets).
    func network(zones: [String]) async throws -> (vpc: String, subnets: [String]) {
        let octet = Int.random(in: 1...250)
        let vpc = try #require(try await ec2("CreateVpc", ["CidrBlock": "10.\(octet).0.0/16"]).string("vpc", "vpcId"))
        var subnets: [String] = []
        for (n, zone) in zones.enumerated() {
            let reply = try await ec2("CreateSubnet", ["VpcId": vpc, "CidrBlock": "10.\(octet).\(n).0/24", "AvailabilityZone": zone])
            subnets.append(try #require(reply.string("subnet", "subnetId")))
        }
        return (vpc, subnets)
    }

    /// CreateLoadBalancer's error code (nil when it was made, and then deleted again).
    func createBalancer(type: String, scheme: String, subnets: [String]) async -> String? {
        await MotoVPNRouteExtensionTests.code {
            var parameters = ["Name": "strict-\(UUID().uuidString.prefix(8).lowercased())", "Type": type, "Scheme": scheme]
            for (n, subnet) in subnets.enumerated() { parameters["Subnets.member.\(n + 1)"] = subnet }
            let reply = try await client.query(.elbv2, "CreateLoadBalancer", region: region, parameters)
            if let arn = reply.list("CreateLoadBalancerResult", "LoadBalancers").first?.string("LoadBalancerArn") {
                _ = try await client.query(.elbv2, "DeleteLoadBalancer", region: region, ["LoadBalancerArn": arn])
            }
        }
    }

    /// ELBv2 API reference, CreateLoadBalancer, Subnets: "[Application Load Balancers] You must
    /// specify subnets from at least two Availability Zones." A network load balancer may use one.
    @Test func anApplicationLoadBalancerInOneZoneIsRefused() async throws {
        let (_, one) = try await network(zones: ["us-east-1a"])
        #expect(await createBalancer(type: "application", scheme: "internal", subnets: one) == "InvalidConfigurationRequest")
        let (_, two) = try await network(zones: ["us-east-1a", "us-east-1a"])
        #expect(await createBalancer(type: "application", scheme: "internal", subnets: two) == "InvalidConfigurationRequest")
        let (_, zones) = try await network(zones: ["us-east-1a", "us-east-1b"])
        #expect(await createBalancer(type: "application", scheme: "internal", subnets: zones) == nil)
        #expect(await createBalancer(type: "network", scheme: "internal", subnets: one) == nil)
    }

    /// An internet-facing balancer needs a VPC with an internet gateway attached (AWS: InvalidSubnet,
    /// "VPC … has no internet gateway"); an internal one does not.
    @Test func anInternetFacingBalancerWithoutAnInternetGatewayIsRefused() async throws {
        let (vpc, subnets) = try await network(zones: ["us-east-1a", "us-east-1b"])
        #expect(await createBalancer(type: "application", scheme: "internet-facing", subnets: subnets) == "InvalidSubnet")
        #expect(await createBalancer(type: "network", scheme: "internet-facing", subnets: subnets) == "InvalidSubnet")
        #expect(await createBalancer(type: "application", scheme: "internal", subnets: subnets) == nil)
        let gateway = try #require(try await ec2("CreateInternetGateway").string("internetGateway", "internetGatewayId"))
        // A gateway that exists but is attached elsewhere is no gateway of this VPC.
        #expect(await createBalancer(type: "application", scheme: "internet-facing", subnets: subnets) == "InvalidSubnet")
        _ = try await ec2("AttachInternetGateway", ["InternetGatewayId": gateway, "VpcId": vpc])
        #expect(await createBalancer(type: "application", scheme: "internet-facing", subnets: subnets) == nil)
        #expect(await createBalancer(type: "network", scheme: "internet-facing", subnets: subnets) == nil)
    }

    /// EC2 API reference, EnableVgwRoutePropagation / DisableVgwRoutePropagation, and RouteTable's
    /// `propagatingVgwSet`; a gateway not attached to the table's VPC is Gateway.NotAttached.
    @Test func vgwRoutePropagationBehavesAsTheEC2APIReferenceDocumentsIt() async throws {
        let (vpc, _) = try await network(zones: ["us-east-1a"])
        let table = try #require(try await ec2("CreateRouteTable", ["VpcId": vpc]).string("routeTable", "routeTableId"))
        let gateway = try #require(try await ec2("CreateVpnGateway", ["Type": "ipsec.1"]).string("vpnGateway", "vpnGatewayId"))
        func propagation(_ action: String, table: String = table, gateway: String = gateway) async throws -> XMLNode {
            try await ec2(action, ["RouteTableId": table, "GatewayId": gateway])
        }
        func propagating() async throws -> [String?] {
            try await ec2("DescribeRouteTables", ["RouteTableId.1": table]).list("routeTableSet").first?.list("propagatingVgwSet")
                .map { $0.string("gatewayId") } ?? []
        }
        #expect(await MotoVPNRouteExtensionTests.code { _ = try await propagation("EnableVgwRoutePropagation") } == "Gateway.NotAttached")
        _ = try await ec2("AttachVpnGateway", ["VpnGatewayId": gateway, "VpcId": vpc])
        let enabled = try await propagation("EnableVgwRoutePropagation")
        #expect(enabled.name == "EnableVgwRoutePropagationResponse" && enabled.string("return") == "true")
        #expect(try await propagating() == [gateway])
        #expect(await MotoVPNRouteExtensionTests.code { _ = try await propagation("EnableVgwRoutePropagation", gateway: "vgw-0123456789abcdef0") }
            == "InvalidVpnGatewayID.NotFound")
        #expect(await MotoVPNRouteExtensionTests.code { _ = try await propagation("EnableVgwRoutePropagation", table: "rtb-0123456789abcdef0") }
            == "InvalidRouteTableID.NotFound")
        let disabled = try await propagation("DisableVgwRoutePropagation")
        #expect(disabled.name == "DisableVgwRoutePropagationResponse" && disabled.string("return") == "true")
        #expect(try await propagating() == [])
    }
}
