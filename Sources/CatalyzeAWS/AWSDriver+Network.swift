import CatalyzeCore
import CatalyzeDrivers
import Foundation

extension AWSDriver {
    /// network: a VPC (`cidr`) with one subnet (`subnet_cidr`, `zone`). cloudID = VPC id;
    /// `outputs["subnet_id"]` = the subnet. Every attribute forces replacement, so update is a no-op.
    func applyNetwork(_ request: ApplyRequest) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create:
            let cidr = try required(request, "cidr")
            let subnetCIDR = try required(request, "subnet_cidr")
            let zone = try required(request, "zone")
            let vpc = try await createOnce(
                lookup: { try await findByOperation("DescribeVpcs", "vpcSet", "vpcId", request).map { CloudResource(cloudID: $0) } },
                create: {
                    var parameters = Self.tagSpecification(request, resourceType: "vpc")
                    parameters["CidrBlock"] = cidr
                    let reply = try await client.query(.ec2, "CreateVpc", region: region, parameters, idempotent: false)
                    guard let id = reply.string("vpc", "vpcId") else {
                        throw DriverError.malformedResponse(service: "ec2", action: "CreateVpc", detail: "no vpcId")
                    }
                    return CloudResource(cloudID: id)
                })
            let subnet = try await createOnce(
                lookup: { try await findByOperation("DescribeSubnets", "subnetSet", "subnetId", request).map { CloudResource(cloudID: $0) } },
                create: {
                    var parameters = Self.tagSpecification(request, resourceType: "subnet")
                    parameters["VpcId"] = vpc.cloudID
                    parameters["CidrBlock"] = subnetCIDR
                    parameters["AvailabilityZone"] = zone
                    let reply = try await consistent {
                        try await client.query(.ec2, "CreateSubnet", region: region, parameters, idempotent: false)
                    }
                    guard let id = reply.string("subnet", "subnetId") else {
                        throw DriverError.malformedResponse(service: "ec2", action: "CreateSubnet", detail: "no subnetId")
                    }
                    return CloudResource(cloudID: id)
                })
            return CloudResource(
                cloudID: vpc.cloudID, attributes: ["cidr": cidr, "subnet_cidr": subnetCIDR, "zone": zone],
                outputs: ["subnet_id": subnet.cloudID])
        case .update:
            return request.prior ?? CloudResource(cloudID: "", attributes: request.spec.attributes)
        case .delete:
            guard let vpc = request.prior?.cloudID, !vpc.isEmpty else { return nil }
            let subnets = try await client.queryAll(
                .ec2, "DescribeSubnets", region: region, Self.filters([("vpc-id", [vpc])]))
            for id in subnets.flatMap({ $0.list("subnetSet") }).compactMap({ $0.string("subnetId") }) {
                try await deleteIgnoringMissing {
                    _ = try await client.query(.ec2, "DeleteSubnet", region: region, ["SubnetId": id])
                }
            }
            try await deleteIgnoringMissing {
                _ = try await client.query(.ec2, "DeleteVpc", region: region, ["VpcId": vpc])
            }
            return nil
        }
    }

    /// The id (`idKey`) of the first resource listed by `action` under `setKey` carrying this
    /// request's `catalyze:op` tag and address.
    func findByOperation(
        _ action: String, _ setKey: String, _ idKey: String, _ request: ApplyRequest,
        extraFilters: [(String, [String])] = []
    ) async throws -> String? {
        let filters = [
            ("tag:\(CatalyzeTag.operation)", [request.token]),
            ("tag:\(CatalyzeTag.address)", [request.spec.address.description]),
        ] + extraFilters
        let pages = try await client.queryAll(.ec2, action, region: request.spec.cloudRegion, Self.filters(filters))
        return pages.flatMap { $0.list(setKey) }
            .filter { !["terminated", "shutting-down", "deleted", "deleting"].contains(Self.state(of: $0)) }
            .compactMap { $0.string(idKey) }.first
    }

    /// The lifecycle state of an EC2 item (`instanceState/name`, `state`, or `status`).
    static func state(of item: XMLNode) -> String {
        item.string("instanceState", "name") ?? item.string("state") ?? item.string("status") ?? ""
    }
}
