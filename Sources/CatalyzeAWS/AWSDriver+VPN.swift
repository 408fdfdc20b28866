import CatalyzeCore
import CatalyzeDrivers
import Foundation

extension AWSDriver {
    /// vpn: a virtual private gateway attached to the network's VPC, a customer gateway for
    /// `peer_ip`, and a static-routes IPsec VPN connection with one route per `remote_cidrs` entry.
    /// cloudID = the VPN connection id; outputs name the two gateways.
    ///
    /// moto implements all four calls but no tunnels, no tunnel state and no route propagation;
    /// its `CreateVpnConnectionRoute` is not implemented, so routes are sent only when
    /// `remote_cidrs` is set and a failure of that call is tolerated (`routes_pending` output).
    func applyVPN(_ request: ApplyRequest) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create:
            let vpc = try request.dependencyID("network")
            let peer = try required(request, "peer_ip")
            let cidrs = (request.spec.attributes["remote_cidrs"] ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
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
            var outputs = ["vpn_gateway_id": gateway.cloudID, "customer_gateway_id": customer.cloudID, "vpc_id": vpc]
            for cidr in cidrs {
                do {
                    _ = try await client.query(
                        .ec2, "CreateVpnConnectionRoute", region: region,
                        ["VpnConnectionId": connection.cloudID, "DestinationCidrBlock": cidr])
                } catch let error as DriverError {
                    guard case .api(_, _, let status, _, _) = error, status >= 500 || error.awsCode == "InvalidAction" else {
                        throw error
                    }
                    outputs["routes_pending"] = "true"
                }
            }
            return CloudResource(
                cloudID: connection.cloudID,
                attributes: ["network": request.spec.attributes["network"] ?? "", "peer_ip": peer, "remote_cidrs": cidrs.joined(separator: ",")],
                outputs: outputs)
        case .update:
            return request.prior
        case .delete:
            guard let prior = request.prior else { return nil }
            try await deleteIgnoringMissing {
                _ = try await client.query(.ec2, "DeleteVpnConnection", region: region, ["VpnConnectionId": prior.cloudID])
            }
            if let gateway = prior.outputs["vpn_gateway_id"] {
                let vpc = prior.outputs["vpc_id"] ?? (try? request.dependencyID("network"))
                if let vpc {
                    try? await deleteIgnoringMissing {
                        _ = try await client.query(.ec2, "DetachVpnGateway", region: region, ["VpcId": vpc, "VpnGatewayId": gateway])
                    }
                }
                try? await deleteIgnoringMissing {
                    _ = try await client.query(.ec2, "DeleteVpnGateway", region: region, ["VpnGatewayId": gateway])
                }
            }
            if let customer = prior.outputs["customer_gateway_id"] {
                try await deleteIgnoringMissing {
                    _ = try await client.query(.ec2, "DeleteCustomerGateway", region: region, ["CustomerGatewayId": customer])
                }
            }
            return nil
        }
    }
}
