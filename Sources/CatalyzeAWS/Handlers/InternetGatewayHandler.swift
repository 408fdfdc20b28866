import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// internet_gateway: an EC2 internet gateway attached to the pod's VPC (CreateInternetGateway,
/// tagged like every create, then AttachInternetGateway); read back from the pod's
/// DescribeInternetGateways, with the VPC it is attached to. A create killed between the two calls
/// is finished by the next apply (the gateway is found by its `catalyze:op` tag and attached); a
/// gateway left unattached is still read back under its address, so a destroy deletes it.
/// cloudID = gateway id; output `vpc_id`.
struct InternetGatewayHandler: EC2TaggedHandler {
    var kind: ResourceKind { .internetGateway }
    var lists: Set<AWSListCall> { [.ec2(.internetGateways)] }

    func apply(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create:
            let spec = try AWSDriver.typed(InternetGatewaySpec.self, request)
            let vpc = try request.dependency(at: spec.network).cloudID
            var attached: [String] = []
            let gateway = try await driver.createOnce(
                firstUse: request.firstUse,
                lookup: {
                    let pages = try await driver.client.queryAll(.ec2, "DescribeInternetGateways", region: region, AWSDriver.filters([
                        ("tag:\(CatalyzeTag.operation)", [request.token]), ("tag:\(CatalyzeTag.address)", [request.spec.address.description]),
                    ]))
                    guard let item = pages.flatMap({ $0.list("internetGatewaySet") }).first, let id = item.string("internetGatewayId") else { return nil }
                    attached = item.list("attachmentSet").compactMap { $0.string("vpcId") }
                    return CloudResource(cloudID: id)
                },
                create: {
                    let reply = try await driver.client.query(
                        .ec2, "CreateInternetGateway", region: region, AWSDriver.tagSpecification(request, resourceType: "internet-gateway"),
                        idempotent: false)
                    guard let id = reply.string("internetGateway", "internetGatewayId") else {
                        throw DriverError.malformedResponse(service: "ec2", action: "CreateInternetGateway", detail: "no internetGatewayId")
                    }
                    return CloudResource(cloudID: id)
                })
            if !attached.contains(vpc) {
                _ = try await driver.consistent {
                    try await driver.client.query(.ec2, "AttachInternetGateway", region: region, ["InternetGatewayId": gateway.cloudID, "VpcId": vpc])
                }
            }
            return CloudResource(cloudID: gateway.cloudID, attributes: spec.attributes, outputs: ["vpc_id": vpc])
        case .update:
            // Its one key replaces it: nothing changes in place, but a spec that does not decode is refused.
            let spec = try AWSDriver.typed(InternetGatewaySpec.self, request)
            return request.prior ?? CloudResource(cloudID: "", attributes: spec.attributes)
        case .delete:
            guard let prior = request.prior, !prior.cloudID.isEmpty else { return nil }
            // Detached from whatever VPC EC2 reports (the record may predate the attachment).
            var vpcs = [prior.outputs["vpc_id"] ?? ""].filter { !$0.isEmpty }
            do {
                let reply = try await driver.client.query(.ec2, "DescribeInternetGateways", region: region, ["InternetGatewayId.1": prior.cloudID])
                vpcs = reply.list("internetGatewaySet").first?.list("attachmentSet").compactMap { $0.string("vpcId") } ?? []
            } catch let error as DriverError where error.isNotFound {
                return nil
            }
            for vpc in vpcs {
                // A balancer's public addresses leave the VPC a while after the balancer is deleted.
                try await driver.retryingDependency {
                    do {
                        _ = try await driver.client.query(.ec2, "DetachInternetGateway", region: region, ["InternetGatewayId": prior.cloudID, "VpcId": vpc])
                    } catch let error as DriverError where error.isNotFound || error.awsCode == "Gateway.NotAttached" {}
                }
            }
            try await driver.deleteIgnoringMissing {
                _ = try await driver.client.query(.ec2, "DeleteInternetGateway", region: region, ["InternetGatewayId": prior.cloudID])
            }
            return nil
        }
    }

    func read(_ batch: AWSRefreshBatch, into live: inout LiveSet, driver: AWSDriver) async throws {
        for item in batch[.internetGateways] {
            guard let id = item.string("internetGatewayId"), let address = live.address(item.tags), address.kind == .internetGateway else { continue }
            let vpc = item.list("attachmentSet").compactMap { $0.string("vpcId") }.first
            var attributes: [String: String] = [:]
            attributes["network"] = vpc.flatMap { live.addresses[$0]?.description }
            live.add(address, .internetGateway, CloudResource(cloudID: id, attributes: attributes, outputs: vpc.map { ["vpc_id": $0] } ?? [:]), item.tags, id: id)
        }
    }

    func ec2Objects(_ resource: CloudResource) -> [String] { [resource.cloudID].filter { !$0.isEmpty } }
}

extension EC2PodList {
    /// DescribeInternetGateways of the pod: `InternetGatewayHandler`'s list.
    static let internetGateways = EC2PodList("DescribeInternetGateways", items: "internetGatewaySet")
}
