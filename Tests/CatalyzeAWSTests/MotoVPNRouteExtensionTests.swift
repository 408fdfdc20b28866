import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeTestSupport
import Foundation
import Testing

/// catalyze's extension of moto (Tests/Peers/run_moto.py): the static routes of a VPN connection
/// (CreateVpnConnectionRoute, DeleteVpnConnectionRoute, `routes` in DescribeVpnConnections), which
/// moto 5.2.1 lacks, answering as the EC2 API reference documents them. Not moto's own behaviour.
@Suite struct MotoVPNRouteExtensionTests {
    /// The error code of `body`'s failure, or nil when it succeeded.
    static func code(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch let error as DriverError {
            guard case .api(_, _, _, let code, _) = error else { return "\(error)" }
            return code
        } catch {
            return "\(error)"
        }
    }

    @Test func routesBehaveAsTheEC2APIReferenceDocumentsThem() async throws {
        let client = try MotoFixture().driver.client
        let region = "us-east-1"
        func ec2(_ action: String, _ parameters: [String: String]) async throws -> XMLNode {
            try await client.query(.ec2, action, region: region, parameters)
        }
        let gateway = try #require(try await ec2("CreateVpnGateway", ["Type": "ipsec.1"]).string("vpnGateway", "vpnGatewayId"))
        let customer = try #require(try await ec2("CreateCustomerGateway", ["Type": "ipsec.1", "PublicIp": "203.0.113.9", "BgpAsn": "65000"])
            .string("customerGateway", "customerGatewayId"))
        let id = try #require(try await ec2("CreateVpnConnection", [
            "Type": "ipsec.1", "CustomerGatewayId": customer, "VpnGatewayId": gateway, "Options.StaticRoutesOnly": "true",
        ]).string("vpnConnection", "vpnConnectionId"))
        func route(_ action: String, _ cidr: String, on connection: String? = nil) async throws -> XMLNode {
            try await ec2(action, ["VpnConnectionId": connection ?? id, "DestinationCidrBlock": cidr])
        }
        func routes() async throws -> [XMLNode] {
            try await ec2("DescribeVpnConnections", ["VpnConnectionId.1": id]).list("vpnConnectionSet").first?.list("routes") ?? []
        }

        let created = try await route("CreateVpnConnectionRoute", "192.168.0.0/16")
        #expect(created.name == "CreateVpnConnectionRouteResponse" && created.string("return") == "true")
        #expect(created.string("requestId")?.isEmpty == false)
        _ = try await route("CreateVpnConnectionRoute", "10.9.0.0/16")
        let listed = try await routes()
        #expect(listed.map { $0.string("destinationCidrBlock") } == ["192.168.0.0/16", "10.9.0.0/16"])
        #expect(listed.allSatisfy { $0.string("source") == "Static" && $0.string("state") == "available" })

        #expect(await Self.code { _ = try await route("CreateVpnConnectionRoute", "192.168.0.0/16") } == "RouteAlreadyExists")
        #expect(await Self.code { _ = try await route("CreateVpnConnectionRoute", "192.168.0.0/33") } == "InvalidParameterValue")
        #expect(await Self.code { _ = try await route("CreateVpnConnectionRoute", "10.1.0.0/16", on: "vpn-0123456789abcdef0") }
            == "InvalidVpnConnectionID.NotFound")

        let deleted = try await route("DeleteVpnConnectionRoute", "10.9.0.0/16")
        #expect(deleted.name == "DeleteVpnConnectionRouteResponse" && deleted.string("return") == "true")
        #expect(try await routes().map { $0.string("destinationCidrBlock") } == ["192.168.0.0/16"])
        #expect(await Self.code { _ = try await route("DeleteVpnConnectionRoute", "10.9.0.0/16") } == "InvalidRoute.NotFound")
        #expect(await Self.code { _ = try await route("DeleteVpnConnectionRoute", "10.9.0.0/16", on: "vpn-0123456789abcdef0") }
            == "InvalidVpnConnectionID.NotFound")

        _ = try await ec2("DeleteVpnConnection", ["VpnConnectionId": id])
        #expect(await Self.code { _ = try await route("CreateVpnConnectionRoute", "10.9.0.0/16") } == "IncorrectState")
    }
}
