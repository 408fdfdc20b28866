import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// vpn: a VPN gateway, a customer gateway and a static-routes VPN connection (see
/// `AWSDriver.applyVPN`); read back from the pod's connections, customer gateways and VPN gateways
/// (DescribeVpnConnections, DescribeCustomerGateways, DescribeVpnGateways; the network from
/// DescribeVpcs), gateways without their connection included (`halfMadeVPNs`); tagged on the
/// connection and both gateways.
struct VPNHandler: EC2TaggedHandler {
    var kind: ResourceKind { .vpn }
    var lists: Set<AWSListCall> { [.ec2(.vpnConnections), .ec2(.customerGateways), .ec2(.vpnGateways), .ec2(.vpcs)] }

    func apply(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource? {
        try await driver.applyVPN(request)
    }

    func read(_ batch: AWSRefreshBatch, into live: inout LiveSet, driver: AWSDriver) async throws {
        let vpcs = batch[.vpcs].filter { AWSDriver.state(of: $0) != "deleted" }
        let gateways = batch[.customerGateways]
        for vpn in batch[.vpnConnections] where !["deleted", "deleting"].contains(AWSDriver.state(of: vpn)) {
            guard let id = vpn.string("vpnConnectionId"), let address = live.address(vpn.tags) else { continue }
            let customer = vpn.string("customerGatewayId") ?? ""
            var attributes = ["remote_cidrs": AWSDriver.staticRoutes(of: vpn).joined(separator: ",")]
            attributes["peer_ip"] = gateways.first { $0.string("customerGatewayId") == customer }?.string("ipAddress")
            var outputs = ["customer_gateway_id": customer, "vpn_gateway_id": vpn.string("vpnGatewayId") ?? ""]
            if let network = vpcs.first(where: { $0.tags[CatalyzeTag.pod] == batch.pod }), let vpc = network.string("vpcId") {
                attributes["network"] = live.addresses[vpc]?.description
                outputs["vpc_id"] = vpc
            }
            live.add(address, .vpn, CloudResource(cloudID: id, attributes: attributes, outputs: outputs), vpn.tags, id: id)
        }
        live.resources += AWSDriver.halfMadeVPNs(
            customerGateways: gateways, vpnGateways: batch[.vpnGateways],
            made: Set(live.resources.filter { $0.kind == .vpn }.map(\.address)), vpcAddresses: live.addresses)
    }

    func ec2Objects(_ resource: CloudResource) -> [String] {
        [resource.cloudID, resource.outputs["customer_gateway_id"] ?? "", resource.outputs["vpn_gateway_id"] ?? ""]
            .filter { !$0.isEmpty }
    }
}

extension AWSDriver {
    /// vpn: a virtual private gateway attached to the network's VPC, a customer gateway for
    /// `peer_ip`, and a static-routes IPsec VPN connection with one static route per `remote_cidrs`
    /// entry. cloudID = the VPN connection id; outputs name the two gateways and the VPC.
    ///
    /// Routes are part of the resource, never optional: a route AWS refuses (after the client's
    /// usual retries) fails the create or update like any other AWS error, since a VPN without its
    /// routes leaves the customer's network unreachable. A failed create leaves what it made tagged
    /// with the operation's `catalyze:op` token, so the retry with that token finds the gateways and
    /// the connection again and only adds the routes still missing.
    ///
    /// Update changes `remote_cidrs` in place: the connection's routes are read back and the missing
    /// ones added (before any is removed), the extra ones deleted. Refresh reports `remote_cidrs` from
    /// the connection's routes, so a route deleted outside catalyze shows as drift.
    /// Delete: connection, customer gateway, then the VPN gateway is detached and deleted.
    ///
    /// moto implements the gateways and connections but no tunnels, tunnel state or route
    /// propagation; its static routes (CreateVpnConnectionRoute, DeleteVpnConnectionRoute, `routes`
    /// in DescribeVpnConnections) come from catalyze's extension in `Tests/Peers/run_moto.py`.
    func applyVPN(_ request: ApplyRequest) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create:
            let spec = try Self.typed(VPNSpec.self, request)
            let vpc = try request.dependency(at: spec.network).cloudID
            let peer = spec.peerIP
            let cidrs = spec.remoteCIDRs
            let gateway = try await createOnce(
                firstUse: request.firstUse,
                lookup: { try await findByOperation("DescribeVpnGateways", "vpnGatewaySet", "vpnGatewayId", request).map { CloudResource(cloudID: $0) } },
                create: {
                    var parameters = Self.tagSpecification(request, resourceType: "vpn-gateway")
                    parameters["Type"] = "ipsec.1"
                    let reply = try await client.query(.ec2, "CreateVpnGateway", region: region, parameters, idempotent: false)
                    return CloudResource(cloudID: reply.string("vpnGateway", "vpnGatewayId") ?? "")
                })
            do {
                _ = try await client.query(
                    .ec2, "AttachVpnGateway", region: region, ["VpcId": vpc, "VpnGatewayId": gateway.cloudID])
            } catch let error as DriverError where error.awsCode?.hasPrefix("VpnGateway") == true
                || error.awsCode == "InvalidParameterValue" {}
            let customer = try await createOnce(
                firstUse: request.firstUse,
                lookup: { try await findByOperation("DescribeCustomerGateways", "customerGatewaySet", "customerGatewayId", request).map { CloudResource(cloudID: $0) } },
                create: {
                    var parameters = Self.tagSpecification(request, resourceType: "customer-gateway")
                    parameters["Type"] = "ipsec.1"
                    parameters["PublicIp"] = peer
                    parameters["BgpAsn"] = "65000"
                    let reply = try await client.query(.ec2, "CreateCustomerGateway", region: region, parameters, idempotent: false)
                    return CloudResource(cloudID: reply.string("customerGateway", "customerGatewayId") ?? "")
                })
            let connection = try await createOnce(
                firstUse: request.firstUse,
                lookup: { try await findByOperation("DescribeVpnConnections", "vpnConnectionSet", "vpnConnectionId", request).map { CloudResource(cloudID: $0) } },
                create: {
                    var parameters = Self.tagSpecification(request, resourceType: "vpn-connection")
                    parameters["Type"] = "ipsec.1"
                    parameters["CustomerGatewayId"] = customer.cloudID
                    parameters["VpnGatewayId"] = gateway.cloudID
                    parameters["Options.StaticRoutesOnly"] = "true"
                    let reply = try await client.query(.ec2, "CreateVpnConnection", region: region, parameters, idempotent: false)
                    return CloudResource(cloudID: reply.string("vpnConnection", "vpnConnectionId") ?? "")
                })
            try await setRoutes(of: connection.cloudID, to: cidrs, region: region, fresh: request.firstUse)
            return CloudResource(
                cloudID: connection.cloudID,
                attributes: ["network": spec.network.description, "peer_ip": peer, "remote_cidrs": cidrs.joined(separator: ",")],
                outputs: ["vpn_gateway_id": gateway.cloudID, "customer_gateway_id": customer.cloudID, "vpc_id": vpc])
        case .update:
            guard var prior = request.prior else {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "update without a recorded VPN connection")
            }
            let cidrs = try Self.typed(VPNSpec.self, request).remoteCIDRs
            try await setRoutes(of: prior.cloudID, to: cidrs, region: region)
            prior.attributes["remote_cidrs"] = cidrs.joined(separator: ",")
            return prior
        case .delete:
            guard let prior = request.prior else { return nil }
            // An empty id: a half-made VPN (refresh found only its gateways, see `halfMadeVPNs`).
            if !prior.cloudID.isEmpty {
                try await deleteIgnoringMissing {
                    _ = try await client.query(.ec2, "DeleteVpnConnection", region: region, ["VpnConnectionId": prior.cloudID])
                }
            }
            if let customer = prior.outputs["customer_gateway_id"], !customer.isEmpty {
                try await deleteIgnoringMissing {
                    try await settled {
                        _ = try await client.query(.ec2, "DeleteCustomerGateway", region: region, ["CustomerGatewayId": customer])
                    }
                }
            }
            if let gateway = prior.outputs["vpn_gateway_id"], !gateway.isEmpty {
                if let vpc = prior.outputs["vpc_id"] ?? (try? request.dependencyID("network")), !vpc.isEmpty {
                    try await deleteIgnoringMissing {
                        _ = try await client.query(.ec2, "DetachVpnGateway", region: region, ["VpcId": vpc, "VpnGatewayId": gateway])
                    }
                }
                try await deleteIgnoringMissing {
                    try await settled {
                        _ = try await client.query(.ec2, "DeleteVpnGateway", region: region, ["VpnGatewayId": gateway])
                    }
                }
            }
            return nil
        }
    }

    /// The static routes of a DescribeVpnConnections item (`routes`), sorted; routes being or
    /// already deleted are left out.
    static func staticRoutes(of connection: XMLNode) -> [String] {
        connection.list("routes")
            .filter { !["deleting", "deleted"].contains($0.string("state") ?? "") }
            .compactMap { $0.string("destinationCidrBlock") }.sorted()
    }

    /// Makes the static routes of VPN connection `id` exactly `cidrs`: reads them back (one
    /// DescribeVpnConnections, retried while a new connection is not yet visible), adds the
    /// missing ones, then deletes the extra ones. A route that already exists when added (an
    /// earlier attempt's call took effect) or is gone when deleted counts as done; any other error
    /// is thrown. `fresh`: the connection was made by this call under a token never used before
    /// (even one found after an ambiguous create is this call's), so it has no routes yet and the
    /// read-back is skipped (each add still waits out NotFound while the new
    /// connection becomes visible).
    func setRoutes(of id: String, to cidrs: [String], region: String, fresh: Bool = false) async throws {
        if fresh {
            for cidr in cidrs {
                do {
                    _ = try await consistent {
                        try await client.query(
                            .ec2, "CreateVpnConnectionRoute", region: region, ["VpnConnectionId": id, "DestinationCidrBlock": cidr])
                    }
                } catch let error as DriverError where error.awsCode == "RouteAlreadyExists" {}
            }
            return
        }
        let connection = try await consistent { () -> XMLNode in
            let reply = try await client.query(.ec2, "DescribeVpnConnections", region: region, ["VpnConnectionId.1": id])
            guard let item = reply.list("vpnConnectionSet").first(where: { $0.string("vpnConnectionId") == id }) else {
                throw DriverError.api(
                    service: "ec2", action: "DescribeVpnConnections", status: 400, code: "InvalidVpnConnectionID.NotFound",
                    message: "VPN connection \(id) is not listed in \(region)")
            }
            return item
        }
        let current = Set(Self.staticRoutes(of: connection))
        for cidr in cidrs where !current.contains(cidr) {
            do {
                _ = try await client.query(
                    .ec2, "CreateVpnConnectionRoute", region: region, ["VpnConnectionId": id, "DestinationCidrBlock": cidr])
            } catch let error as DriverError where error.awsCode == "RouteAlreadyExists" {}
        }
        for cidr in current.subtracting(cidrs).sorted() {
            try await deleteIgnoringMissing {
                _ = try await client.query(
                    .ec2, "DeleteVpnConnectionRoute", region: region, ["VpnConnectionId": id, "DestinationCidrBlock": cidr])
            }
        }
    }

    /// Runs `body` again while AWS answers `IncorrectState` (a gateway still detaching, a
    /// connection still deleting), within the driver's consistency budget; then throws the error.
    func settled(_ body: () async throws -> Void) async throws {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch let error as DriverError where error.awsCode == "IncorrectState" {
                attempt += 1
                if attempt >= client.configuration.consistencyAttempts { throw error }
                try await client.pause(attempt: attempt, throttled: false)
            }
        }
    }
}

extension AWSDriver {
    /// Gateways of a VPN whose connection was never made (`apply` killed between CreateVpnGateway,
    /// CreateCustomerGateway and CreateVpnConnection), reported under their `catalyze:address` with
    /// an empty cloud id: the resumed create finds them by their `catalyze:op` tag and finishes the
    /// VPN, and a delete (`destroy`, or an address no longer wanted) removes them, none orphaned.
    static func halfMadeVPNs(
        customerGateways: [XMLNode], vpnGateways: [XMLNode], made: Set<ResourceAddress>, vpcAddresses: [String: ResourceAddress]
    ) -> [LiveResource] {
        var parts: [ResourceAddress: (token: String?, attributes: [String: String], outputs: [String: String])] = [:]
        var tagsOf: [ResourceAddress: [String: String]] = [:]
        for gateway in customerGateways where !["deleted", "deleting"].contains(Self.state(of: gateway)) {
            guard let address = gateway.tags[CatalyzeTag.address].flatMap(ResourceAddress.init(parsing:)), !made.contains(address),
                  let id = gateway.string("customerGatewayId")
            else { continue }
            parts[address, default: (gateway.tags[CatalyzeTag.operation], [:], [:])].outputs["customer_gateway_id"] = id
            tagsOf[address] = gateway.tags
            parts[address]?.attributes["peer_ip"] = gateway.string("ipAddress")
        }
        for gateway in vpnGateways where !["deleted", "deleting"].contains(Self.state(of: gateway)) {
            guard let address = gateway.tags[CatalyzeTag.address].flatMap(ResourceAddress.init(parsing:)), !made.contains(address),
                  let id = gateway.string("vpnGatewayId")
            else { continue }
            parts[address, default: (gateway.tags[CatalyzeTag.operation], [:], [:])].outputs["vpn_gateway_id"] = id
            tagsOf[address] = tagsOf[address] ?? gateway.tags
            if let vpc = gateway.list("attachments").first(where: { !["detached", "detaching"].contains($0.string("state") ?? "") })?
                .string("vpcId")
            {
                parts[address]?.outputs["vpc_id"] = vpc
                parts[address]?.attributes["network"] = vpcAddresses[vpc]?.description
            }
        }
        return parts.sorted { $0.key < $1.key }.map { address, part in
            var attributes = part.attributes
            attributes["remote_cidrs"] = ""
            return LiveResource(
                address: address, kind: .vpn, resource: CloudResource(cloudID: "", attributes: attributes, outputs: part.outputs),
                operationToken: part.token).carrying(tagsOf[address] ?? [:])
        }
    }
}
