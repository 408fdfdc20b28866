import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// vpc_endpoint: a gateway VPC endpoint for `com.amazonaws.<region>.<service>` in the pod's VPC,
/// whose route (to the service's prefix list) EC2 adds to each of its route tables (EC2 API
/// reference, CreateVpcEndpoint: `VpcEndpointType` Gateway, `RouteTableId.N`, `ClientToken`;
/// tagged like every create). Its route tables change in place (ModifyVpcEndpoint
/// `AddRouteTableId.N` / `RemoveRouteTableId.N`). Read back from the pod's DescribeVpcEndpoints;
/// deleted with DeleteVpcEndpoints. cloudID = endpoint id.
struct VPCEndpointHandler: EC2TaggedHandler {
    var kind: ResourceKind { .vpcEndpoint }
    var lists: Set<AWSListCall> { [.ec2(.vpcEndpoints)] }

    func apply(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create:
            let spec = try AWSDriver.typed(VPCEndpointSpec.self, request)
            let vpc = try request.dependency(at: spec.network).cloudID
            var tables: [String] = []
            for table in spec.routeTables { tables.append(try request.dependency(at: table).cloudID) }
            let endpoint = try await driver.createOnce(
                firstUse: request.firstUse,
                lookup: {
                    try await driver.findByOperation("DescribeVpcEndpoints", "vpcEndpointSet", "vpcEndpointId", request).map { CloudResource(cloudID: $0) }
                },
                create: {
                    var parameters = AWSDriver.tagSpecification(request, resourceType: "vpc-endpoint")
                    parameters["VpcId"] = vpc
                    parameters["VpcEndpointType"] = "Gateway"
                    parameters["ServiceName"] = "com.amazonaws.\(region).\(spec.service)"
                    parameters["ClientToken"] = AWSDriver.clientToken(request.token)
                    for (n, table) in tables.enumerated() { parameters["RouteTableId.\(n + 1)"] = table }
                    let reply = try await driver.client.query(.ec2, "CreateVpcEndpoint", region: region, parameters, idempotent: false)
                    guard let id = reply.string("vpcEndpoint", "vpcEndpointId") else {
                        throw DriverError.malformedResponse(service: "ec2", action: "CreateVpcEndpoint", detail: "no vpcEndpointId")
                    }
                    return CloudResource(cloudID: id)
                })
            return CloudResource(cloudID: endpoint.cloudID, attributes: spec.attributes)
        case .update:
            let spec = try AWSDriver.typed(VPCEndpointSpec.self, request)
            guard let prior = request.prior, !prior.cloudID.isEmpty else {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "update without a recorded VPC endpoint")
            }
            let reply = try await driver.client.query(.ec2, "DescribeVpcEndpoints", region: region, ["VpcEndpointId.1": prior.cloudID])
            let current = Set(reply.list("vpcEndpointSet").first?.list("routeTableIdSet").map(\.text) ?? [])
            var wanted: Set<String> = []
            for table in spec.routeTables { wanted.insert(try request.dependency(at: table).cloudID) }
            var parameters = ["VpcEndpointId": prior.cloudID]
            for (n, table) in wanted.subtracting(current).sorted().enumerated() { parameters["AddRouteTableId.\(n + 1)"] = table }
            for (n, table) in current.subtracting(wanted).sorted().enumerated() { parameters["RemoveRouteTableId.\(n + 1)"] = table }
            if parameters.count > 1 { _ = try await driver.client.query(.ec2, "ModifyVpcEndpoint", region: region, parameters) }
            return CloudResource(cloudID: prior.cloudID, attributes: spec.attributes, outputs: prior.outputs)
        case .delete:
            guard let id = request.prior?.cloudID, !id.isEmpty else { return nil }
            // EC2 reports an unknown id in the reply's `unsuccessful` list, moto as an error: gone either way.
            try await driver.deleteIgnoringMissing {
                _ = try await driver.client.query(.ec2, "DeleteVpcEndpoints", region: region, ["VpcEndpointId.1": id])
            }
            return nil
        }
    }

    func read(_ batch: AWSRefreshBatch, into live: inout LiveSet, driver: AWSDriver) async throws {
        for item in batch[.vpcEndpoints] where !["deleted", "deleting"].contains(AWSDriver.state(of: item).lowercased()) {
            guard let id = item.string("vpcEndpointId"), let address = live.address(item.tags), address.kind == .vpcEndpoint else { continue }
            var attributes: [String: String] = [:]
            attributes["network"] = item.string("vpcId").flatMap { live.addresses[$0]?.description }
            if let service = item.string("serviceName") { attributes["service"] = String(service.split(separator: ".").last ?? "") }
            let tables = item.list("routeTableIdSet").map(\.text)
            let named = tables.compactMap { live.addresses[$0] }
            if named.count == tables.count { attributes["route_tables"] = named.sorted().map(\.description).joined(separator: ",") }
            live.add(address, .vpcEndpoint, CloudResource(cloudID: id, attributes: attributes), item.tags, id: id)
        }
    }

    func ec2Objects(_ resource: CloudResource) -> [String] { [resource.cloudID].filter { !$0.isEmpty } }
}

extension EC2PodList {
    /// DescribeVpcEndpoints of the pod: `VPCEndpointHandler`'s list.
    static let vpcEndpoints = EC2PodList("DescribeVpcEndpoints", items: "vpcEndpointSet")
}
