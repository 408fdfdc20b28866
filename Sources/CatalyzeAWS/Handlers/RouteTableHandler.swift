import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// route_table: an EC2 route table of the pod's VPC (CreateRouteTable, tagged like every create),
/// associated with its subnets (AssociateRouteTable), with a default route `0.0.0.0/0` to the
/// internet gateway when the spec names one (CreateRoute) and the VPN gateway's routes propagated
/// when it names a VPN (EnableVgwRoutePropagation, EC2 API reference; the gateway is the VPN's
/// `vpn_gateway_id`, attached to the VPC by the VPN). Every step is made to match what EC2 reports,
/// so a create killed part-way is finished by the next apply (the table is found by its
/// `catalyze:op` tag), and an update adds and removes associations, the default route and the
/// propagation in place. Delete disassociates every subnet, then deletes the table.
///
/// Read back from the pod's DescribeRouteTables: `subnets` by the addresses their tags name (the
/// network's own subnet reads as the network), `internet_gateway` and `vpn` by their gateways' ids.
/// cloudID = route table id.
struct RouteTableHandler: EC2TaggedHandler {
    var kind: ResourceKind { .routeTable }
    var lists: Set<AWSListCall> { [.ec2(.routeTables), .ec2(.subnets)] }

    func apply(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create, .update:
            let spec = try AWSDriver.typed(RouteTableSpec.self, request)
            let vpc = try request.dependency(at: spec.network).cloudID
            let id: String
            if request.operation == .update, let prior = request.prior, !prior.cloudID.isEmpty {
                id = prior.cloudID
            } else {
                id = try await driver.createOnce(
                    firstUse: request.firstUse,
                    lookup: {
                        try await driver.findByOperation("DescribeRouteTables", "routeTableSet", "routeTableId", request).map { CloudResource(cloudID: $0) }
                    },
                    create: {
                        var parameters = AWSDriver.tagSpecification(request, resourceType: "route-table")
                        parameters["VpcId"] = vpc
                        let reply = try await driver.client.query(.ec2, "CreateRouteTable", region: region, parameters, idempotent: false)
                        guard let id = reply.string("routeTable", "routeTableId") else {
                            throw DriverError.malformedResponse(service: "ec2", action: "CreateRouteTable", detail: "no routeTableId")
                        }
                        return CloudResource(cloudID: id)
                    }).cloudID
            }
            try await converge(id, to: spec, request: request, driver: driver)
            var outputs: [String: String] = [:]
            if let vpn = spec.vpn { outputs["vpn_gateway_id"] = try request.dependency(at: vpn).outputs["vpn_gateway_id"] }
            return CloudResource(cloudID: id, attributes: spec.attributes, outputs: outputs)
        case .delete:
            guard let id = request.prior?.cloudID, !id.isEmpty else { return nil }
            let table: XMLNode?
            do {
                table = try await driver.client.query(.ec2, "DescribeRouteTables", region: region, ["RouteTableId.1": id]).list("routeTableSet").first
            } catch let error as DriverError where error.isNotFound {
                return nil
            }
            for association in table?.list("associationSet") ?? [] where association.string("main") != "true" {
                guard let associationID = association.string("routeTableAssociationId") else { continue }
                try await driver.deleteIgnoringMissing {
                    _ = try await driver.client.query(.ec2, "DisassociateRouteTable", region: region, ["AssociationId": associationID])
                }
            }
            try await driver.retryingDependency {
                try await driver.deleteIgnoringMissing {
                    _ = try await driver.client.query(.ec2, "DeleteRouteTable", region: region, ["RouteTableId": id])
                }
            }
            return nil
        }
    }

    /// Makes table `id`'s associations, default route and propagation those of `spec`, from what
    /// one DescribeRouteTables reports.
    private func converge(_ id: String, to spec: RouteTableSpec, request: ApplyRequest, driver: AWSDriver) async throws {
        let region = request.spec.cloudRegion
        let table = try await driver.consistent {
            try await driver.client.query(.ec2, "DescribeRouteTables", region: region, ["RouteTableId.1": id]).list("routeTableSet").first
        }
        var associated: [String: String] = [:]
        for association in table?.list("associationSet") ?? [] {
            if let subnet = association.string("subnetId"), let associationID = association.string("routeTableAssociationId") { associated[subnet] = associationID }
        }
        var wanted: Set<String> = []
        for address in spec.subnets { wanted.insert(try driver.subnetID(address, of: request)) }
        for subnet in wanted.sorted() where associated[subnet] == nil {
            _ = try await driver.client.query(.ec2, "AssociateRouteTable", region: region, ["RouteTableId": id, "SubnetId": subnet])
        }
        for (subnet, associationID) in associated.sorted(by: { $0.key < $1.key }) where !wanted.contains(subnet) {
            try await driver.deleteIgnoringMissing {
                _ = try await driver.client.query(.ec2, "DisassociateRouteTable", region: region, ["AssociationId": associationID])
            }
        }

        let defaultRoute = table?.list("routeSet").first { $0.string("destinationCidrBlock") == "0.0.0.0/0" }
        let gateway = try spec.internetGateway.map { address throws(DriverError) in try request.dependency(at: address).cloudID }
        if let gateway, defaultRoute?.string("gatewayId") != gateway {
            let action = defaultRoute == nil ? "CreateRoute" : "ReplaceRoute"
            _ = try await driver.client.query(
                .ec2, action, region: region, ["RouteTableId": id, "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": gateway])
        } else if gateway == nil, defaultRoute != nil {
            try await driver.deleteIgnoringMissing {
                _ = try await driver.client.query(.ec2, "DeleteRoute", region: region, ["RouteTableId": id, "DestinationCidrBlock": "0.0.0.0/0"])
            }
        }

        let propagating = Set(table?.list("propagatingVgwSet").compactMap { $0.string("gatewayId") } ?? [])
        var vgw: String?
        if let vpn = spec.vpn {
            vgw = try request.dependency(at: vpn).outputs["vpn_gateway_id"].flatMap { $0.isEmpty ? nil : $0 }
            guard vgw != nil else {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "\(vpn) has no recorded VPN gateway to propagate routes from")
            }
        }
        if let vgw, !propagating.contains(vgw) {
            _ = try await driver.consistent {
                try await driver.client.query(.ec2, "EnableVgwRoutePropagation", region: region, ["RouteTableId": id, "GatewayId": vgw])
            }
        }
        for other in propagating.sorted() where other != vgw {
            do {
                _ = try await driver.client.query(.ec2, "DisableVgwRoutePropagation", region: region, ["RouteTableId": id, "GatewayId": other])
            } catch let error as DriverError where error.isNotFound || error.awsCode == "Gateway.NotAttached" {}
        }
    }

    func read(_ batch: AWSRefreshBatch, into live: inout LiveSet, driver: AWSDriver) async throws {
        // Subnet ids by the address their tags name (the network's own subnets: the network's).
        var subnets: [String: ResourceAddress] = [:]
        for item in batch[.subnets] {
            if let id = item.string("subnetId"), let address = live.address(item.tags) { subnets[id] = address }
        }
        // VPN gateways by id: the VPN's cloud id is its connection's.
        var vpns: [String: ResourceAddress] = [:]
        for resource in live.resources where resource.kind == .vpn {
            if let gateway = resource.resource.outputs["vpn_gateway_id"], !gateway.isEmpty { vpns[gateway] = resource.address }
        }
        for table in batch[.routeTables] {
            guard let id = table.string("routeTableId"), let address = live.address(table.tags), address.kind == .routeTable else { continue }
            var attributes: [String: String] = [:]
            attributes["network"] = table.string("vpcId").flatMap { live.addresses[$0]?.description }
            let associated = table.list("associationSet").compactMap { $0.string("subnetId") }
            let named = associated.compactMap { subnets[$0] }
            // Only when every associated subnet is the pod's: another's would be no address.
            if named.count == associated.count { attributes["subnets"] = Set(named).sorted().map(\.description).joined(separator: ",") }
            let gateway = table.list("routeSet").first { $0.string("destinationCidrBlock") == "0.0.0.0/0" }?.string("gatewayId")
            attributes["internet_gateway"] = gateway.flatMap { live.addresses[$0]?.description } ?? ""
            let vgws = table.list("propagatingVgwSet").compactMap { $0.string("gatewayId") }
            attributes["vpn"] = vgws.compactMap { vpns[$0]?.description }.first ?? ""
            live.add(address, .routeTable, CloudResource(cloudID: id, attributes: attributes), table.tags, id: id)
        }
    }

    func ec2Objects(_ resource: CloudResource) -> [String] { [resource.cloudID].filter { !$0.isEmpty } }
}

extension EC2PodList {
    /// DescribeRouteTables of the pod: `RouteTableHandler`'s list.
    static let routeTables = EC2PodList("DescribeRouteTables", items: "routeTableSet")
}
