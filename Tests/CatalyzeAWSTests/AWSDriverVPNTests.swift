import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Foundation
import Testing

/// The VPN against moto, whose static routes come from catalyze's extension of moto
/// (Tests/Peers/run_moto.py, faithful to the EC2 API reference; moto 5.2.1 has none): routes made,
/// read back, repaired, changed in place, refused, and deleted with the VPN.
@Suite struct AWSDriverVPNTests {
    /// A network for `pod` and the VPN spec `primary/vpn.office` on it with `cidrs`.
    struct Setup {
        let moto: MotoFixture
        let pod: String
        let network: ResourceSpec
        let dependencies: [ResourceAddress: CloudResource]

        init(_ moto: MotoFixture, pod: String) async throws {
            self.moto = moto
            self.pod = pod
            network = moto.spec(.network, "main", ["cidr": "10.60.0.0/16", "subnet_cidr": "10.60.1.0/24", "zone": "us-east-1a"])
            let net = try #require(try await moto.apply(.create, network, pod: pod, token: "\(pod)-net"))
            dependencies = [network.address: net]
        }

        func vpn(_ cidrs: String) -> ResourceSpec {
            moto.spec(.vpn, "office", ["network": "primary/network.main", "peer_ip": "203.0.113.7", "remote_cidrs": cidrs])
        }

        func apply(_ operation: CatalyzeModel.Operation, _ cidrs: String, token: String, prior: CloudResource? = nil, firstUse: Bool = false) async throws -> CloudResource? {
            try await moto.apply(operation, vpn(cidrs), pod: pod, token: token, prior: prior, dependencies: dependencies, firstUse: firstUse)
        }

        /// The pod's VPN as refresh reports it.
        func refreshed() async throws -> LiveResource? {
            try await moto.driver.refresh(RefreshRequest(pod: pod, region: "us-east-1")).resources.first { $0.kind == .vpn }
        }

        /// Routes of the connection, straight from moto.
        func routes(_ id: String) async throws -> [String] {
            let reply = try await moto.driver.client.query(.ec2, "DescribeVpnConnections", region: "us-east-1", ["VpnConnectionId.1": id])
            return reply.list("vpnConnectionSet").first?.list("routes").compactMap { $0.string("destinationCidrBlock") }.sorted() ?? []
        }

        /// Items of `action` tagged with the pod, by state.
        func tagged(_ action: String, _ set: String) async throws -> [String] {
            let reply = try await moto.driver.client.query(
                .ec2, action, region: "us-east-1", ["Filter.1.Name": "tag:\(CatalyzeTag.pod)", "Filter.1.Value.1": pod])
            return reply.list(set).map { $0.string("state") ?? "?" }
        }
    }

    @Test func routesAreCreatedAndReadBack() async throws {
        let setup = try await Setup(try MotoFixture(), pod: "vpn-routes")
        setup.moto.counter.reset()
        let vpn = try #require(try await setup.apply(.create, "10.9.0.0/16,192.168.0.0/16", token: "vpn-1", firstUse: true))
        #expect(setup.moto.counter.perKey["CreateVpnConnectionRoute"] == 2)
        #expect(vpn.attributes["remote_cidrs"] == "10.9.0.0/16,192.168.0.0/16" && vpn.outputs["routes_pending"] == nil)
        #expect(try await setup.routes(vpn.cloudID) == ["10.9.0.0/16", "192.168.0.0/16"])
        let live = try #require(try await setup.refreshed())
        #expect(live.resource.cloudID == vpn.cloudID)
        #expect(live.resource.attributes["remote_cidrs"] == "10.9.0.0/16,192.168.0.0/16")
        #expect(live.resource.attributes["peer_ip"] == "203.0.113.7" && live.resource.attributes["network"] == "primary/network.main")
    }

    @Test func routesDeletedOutsideCatalyzeAreReadBackAndTheUpdateRestoresThem() async throws {
        let setup = try await Setup(try MotoFixture(), pod: "vpn-drift")
        let vpn = try #require(try await setup.apply(.create, "10.9.0.0/16,192.168.0.0/16", token: "vpn-1", firstUse: true))
        _ = try await setup.moto.driver.client.query(
            .ec2, "DeleteVpnConnectionRoute", region: "us-east-1", ["VpnConnectionId": vpn.cloudID, "DestinationCidrBlock": "192.168.0.0/16"])
        #expect(try await setup.refreshed()?.resource.attributes["remote_cidrs"] == "10.9.0.0/16")
        _ = try await setup.moto.driver.client.query(
            .ec2, "DeleteVpnConnectionRoute", region: "us-east-1", ["VpnConnectionId": vpn.cloudID, "DestinationCidrBlock": "10.9.0.0/16"])
        #expect(try await setup.refreshed()?.resource.attributes["remote_cidrs"] == "", "no routes: read back as empty (drift)")

        // What apply runs for that drift: an update with the recorded spec.
        setup.moto.counter.reset()
        let repaired = try #require(try await setup.apply(.update, "10.9.0.0/16,192.168.0.0/16", token: "vpn-1", prior: vpn))
        #expect(repaired.cloudID == vpn.cloudID)
        #expect(setup.moto.counter.perKey["CreateVpnConnectionRoute"] == 2 && setup.moto.counter.perKey["CreateVpnConnection"] == nil)
        #expect(try await setup.refreshed()?.resource.attributes["remote_cidrs"] == "10.9.0.0/16,192.168.0.0/16")
    }

    @Test func changingRemoteCidrsUpdatesTheRoutesInPlace() async throws {
        let setup = try await Setup(try MotoFixture(), pod: "vpn-update")
        let vpn = try #require(try await setup.apply(.create, "10.9.0.0/16,192.168.0.0/16", token: "vpn-1", firstUse: true))
        setup.moto.counter.reset()
        let updated = try #require(try await setup.apply(.update, "172.16.0.0/12,192.168.0.0/16", token: "vpn-1", prior: vpn))
        #expect(updated.cloudID == vpn.cloudID && updated.outputs == vpn.outputs)
        #expect(updated.attributes["remote_cidrs"] == "172.16.0.0/12,192.168.0.0/16")
        #expect(setup.moto.counter.perKey == ["DescribeVpnConnections": 1, "CreateVpnConnectionRoute": 1, "DeleteVpnConnectionRoute": 1])
        #expect(try await setup.routes(vpn.cloudID) == ["172.16.0.0/12", "192.168.0.0/16"])
        #expect(try await setup.tagged("DescribeVpnConnections", "vpnConnectionSet") == ["available"], "still the one connection")
    }

    @Test func aRefusedRouteFailsTheCreateAndTheRetryConvergesOnWhatWasMade() async throws {
        let setup = try await Setup(try MotoFixture(), pod: "vpn-refused")
        do {
            _ = try await setup.apply(.create, "10.9.0.0/16,192.168.0.0/33", token: "vpn-1", firstUse: true)
            Issue.record("a route EC2 refuses must fail the create")
        } catch let error as DriverError {
            guard case .api(_, let action, _, let code, let message) = error else { throw error }
            #expect(action == "CreateVpnConnectionRoute" && code == "InvalidParameterValue" && message.contains("192.168.0.0/33"))
        }
        // What was made carries the operation's token, so the planner resumes it with that token.
        let partial = try #require(try await setup.refreshed())
        #expect(partial.operationToken == "vpn-1" && partial.resource.attributes["remote_cidrs"] == "10.9.0.0/16")

        let vpn = try #require(try await setup.apply(.create, "10.9.0.0/16,192.168.0.0/16", token: "vpn-1"))
        #expect(vpn.cloudID == partial.resource.cloudID, "the retry finds the connection by its catalyze:op tag")
        #expect(try await setup.routes(vpn.cloudID) == ["10.9.0.0/16", "192.168.0.0/16"])
        #expect(try await setup.tagged("DescribeVpnConnections", "vpnConnectionSet") == ["available"])
        #expect(try await setup.tagged("DescribeVpnGateways", "vpnGatewaySet") == ["available"])
        #expect(try await setup.tagged("DescribeCustomerGateways", "customerGatewaySet") == ["available"])
    }

    @Test func aRouteCallFailingPastTheRetriesFailsTheCreate() async throws {
        let direct = try MotoFixture()
        let proxy = try await FaultProxy.start(upstream: direct.moto, seed: 11)
        defer { proxy.stop() }
        let moto = try MotoFixture(endpoint: proxy.url, account: direct.account) { configuration in
            configuration.retry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), throttleBaseDelay: .milliseconds(10), maxDelay: .milliseconds(50))
        }
        let setup = try await Setup(moto, pod: "vpn-5xx")
        _ = try await proxy.configure(FaultProxy.Configuration(errorRate: 1, errorStatuses: [500], faultActions: ["CreateVpnConnectionRoute"]))
        await #expect(throws: DriverError.self) {
            _ = try await setup.apply(.create, "10.9.0.0/16", token: "vpn-1", firstUse: true)
        }
        #expect(try await proxy.stats().count("CreateVpnConnectionRoute", "error_500") == 3, "the client's retries, then the error")

        _ = try await proxy.configure(FaultProxy.Configuration(errorRate: 0))
        let vpn = try #require(try await setup.apply(.create, "10.9.0.0/16", token: "vpn-1"))
        #expect(try await setup.routes(vpn.cloudID) == ["10.9.0.0/16"])
        #expect(try await setup.tagged("DescribeVpnConnections", "vpnConnectionSet") == ["available"])
    }

    @Test func deleteRemovesTheConnectionAndBothGateways() async throws {
        let setup = try await Setup(try MotoFixture(), pod: "vpn-delete")
        let vpn = try #require(try await setup.apply(.create, "10.9.0.0/16", token: "vpn-1", firstUse: true))
        setup.moto.counter.reset()
        #expect(try await setup.apply(.delete, "10.9.0.0/16", token: "vpn-1", prior: vpn) == nil)
        #expect(setup.moto.counter.perKey == [
            "DeleteVpnConnection": 1, "DeleteCustomerGateway": 1, "DetachVpnGateway": 1, "DeleteVpnGateway": 1,
        ])
        #expect(try await setup.tagged("DescribeVpnConnections", "vpnConnectionSet") == ["deleted"])
        #expect(try await setup.tagged("DescribeCustomerGateways", "customerGatewaySet") == ["deleted"])
        #expect(try await setup.tagged("DescribeVpnGateways", "vpnGatewaySet") == ["deleted"])
        #expect(try await setup.refreshed() == nil)
        // Deleting again (a retried delete) finds nothing left to do and succeeds.
        #expect(try await setup.apply(.delete, "10.9.0.0/16", token: "vpn-1", prior: vpn) == nil)
    }
}
