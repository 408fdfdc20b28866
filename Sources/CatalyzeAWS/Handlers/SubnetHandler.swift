import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// subnet: one EC2 subnet of the pod's VPC (CreateSubnet, tagged like every create, plus
/// `catalyze:tier`); read back from the pod's DescribeSubnets (the network's list). Every attribute
/// replaces it, so update is a no-op. cloudID = subnet id.
///
/// A pod applied by 0.1.0 with an application load balancer already has a subnet in the block of
/// `subnet.private-2`: the balancer's second subnet, tagged as the network's (`catalyze:subnet` 2).
/// CreateSubnet refuses the block (`InvalidSubnet.Conflict`); a subnet of this pod in that block is
/// then taken over (tagged with this address) instead of made, so the upgrade neither fails nor
/// moves the balancer's addresses.
struct SubnetHandler: EC2TaggedHandler {
    var kind: ResourceKind { .subnet }
    var lists: Set<AWSListCall> { [.ec2(.subnets)] }

    /// The tag naming a subnet's tier (`private` or `public`).
    static let tierTag = "catalyze:tier"

    func apply(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create:
            let spec = try AWSDriver.typed(SubnetSpec.self, request)
            let vpc = try request.dependency(at: spec.network).cloudID
            let subnet = try await driver.createOnce(
                firstUse: request.firstUse,
                lookup: { try await driver.findByOperation("DescribeSubnets", "subnetSet", "subnetId", request).map { CloudResource(cloudID: $0) } },
                create: {
                    var parameters = AWSDriver.tagSpecification(request, resourceType: "subnet", extra: [Self.tierTag: spec.tier.rawValue])
                    parameters["VpcId"] = vpc
                    parameters["CidrBlock"] = spec.cidr
                    parameters["AvailabilityZone"] = spec.zone
                    do {
                        let reply = try await driver.consistent {
                            try await driver.client.query(.ec2, "CreateSubnet", region: region, parameters, idempotent: false)
                        }
                        guard let id = reply.string("subnet", "subnetId") else {
                            throw DriverError.malformedResponse(service: "ec2", action: "CreateSubnet", detail: "no subnetId")
                        }
                        return CloudResource(cloudID: id)
                    } catch let error as DriverError where error.awsCode == "InvalidSubnet.Conflict" {
                        guard let id = try await takeOver(spec, vpc: vpc, request: request, driver: driver) else { throw error }
                        return CloudResource(cloudID: id)
                    }
                })
            return CloudResource(cloudID: subnet.cloudID, attributes: spec.attributes)
        case .update:
            // Every key replaces the subnet: nothing changes in place, but a spec that does not decode is refused.
            let spec = try AWSDriver.typed(SubnetSpec.self, request)
            return request.prior ?? CloudResource(cloudID: "", attributes: spec.attributes)
        case .delete:
            guard let id = request.prior?.cloudID, !id.isEmpty else { return nil }
            // A load balancer's network interfaces leave a subnet a while after the balancer is deleted.
            try await driver.retryingDependency {
                try await driver.deleteIgnoringMissing {
                    _ = try await driver.client.query(.ec2, "DeleteSubnet", region: region, ["SubnetId": id])
                }
            }
            return nil
        }
    }

    /// The subnet of this pod in `spec`'s block and zone of `vpc` (one 0.1.0 made for a balancer),
    /// tagged now with `request`'s address, token and tier; nil when the block holds another's.
    private func takeOver(_ spec: SubnetSpec, vpc: String, request: ApplyRequest, driver: AWSDriver) async throws -> String? {
        let region = request.spec.cloudRegion
        let pages = try await driver.client.queryAll(
            .ec2, "DescribeSubnets", region: region, AWSDriver.filters([("vpc-id", [vpc]), ("cidr-block", [spec.cidr])]))
        guard let item = pages.flatMap({ $0.list("subnetSet") }).first(where: { $0.tags[CatalyzeTag.pod] == request.pod }),
              item.string("availabilityZone") == spec.zone, let id = item.string("subnetId")
        else { return nil }
        var parameters = ["ResourceId.1": id]
        let tags = AWSDriver.tags(request, extra: [Self.tierTag: spec.tier.rawValue]) + [(AWSDriver.subnetTag, "")]
        for (n, (key, value)) in tags.enumerated() {
            parameters["Tag.\(n + 1).Key"] = key
            parameters["Tag.\(n + 1).Value"] = value
        }
        _ = try await driver.client.query(.ec2, "CreateTags", region: region, parameters)
        return id
    }

    /// Each subnet tagged with a `subnet` address (the network's own subnets carry the network's).
    func read(_ batch: AWSRefreshBatch, into live: inout LiveSet, driver: AWSDriver) async throws {
        for item in batch[.subnets] {
            guard let id = item.string("subnetId"), let address = live.address(item.tags), address.kind == .subnet else { continue }
            var attributes = ["cidr": item.string("cidrBlock") ?? "", "zone": item.string("availabilityZone") ?? ""]
            attributes["tier"] = item.tags[Self.tierTag]
            attributes["network"] = item.string("vpcId").flatMap { live.addresses[$0]?.description }
            live.add(address, .subnet, CloudResource(cloudID: id, attributes: attributes), item.tags, id: id)
        }
    }

    func ec2Objects(_ resource: CloudResource) -> [String] { [resource.cloudID].filter { !$0.isEmpty } }
}

extension AWSDriver {
    /// Runs `body` again while EC2 answers `DependencyViolation` (what a deleted neighbour leaves
    /// behind for a while: a balancer's network interfaces, an association), at most
    /// `consistencyAttempts` times.
    func retryingDependency(_ body: () async throws -> Void) async throws {
        for attempt in 1...client.configuration.consistencyAttempts {
            do {
                try await body()
                return
            } catch let error as DriverError where error.awsCode == "DependencyViolation" && attempt < client.configuration.consistencyAttempts {
                try await client.pause(attempt: attempt, throttled: false)
            }
        }
    }

    /// The id of what `address` resolves to among `request`'s dependencies when it names a subnet:
    /// a `subnet`'s cloud id, or a network's first subnet (its own address stands for it).
    func subnetID(_ address: ResourceAddress, of request: ApplyRequest) throws(DriverError) -> String {
        let resource = try request.dependency(at: address)
        if address.kind == .network {
            guard let first = Self.subnets(of: resource).first?.id else {
                throw .invalidSpec(address: request.spec.address, reason: "network \(address) has no recorded subnet")
            }
            return first
        }
        return resource.cloudID
    }
}
