import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// lb_target: an instance registered in the balancer's target group (see
/// `AWSDriver.applyLBTarget`). A target lives on its instance's tags (`catalyze:lb-target`,
/// `catalyze:lb-target-op`): read back from DescribeTargetHealth per target group of the pod's
/// balancers (the instances that are really registered) and the pod's instances, carrying the
/// instance's lineage; tagged on the instance.
struct LBTargetHandler: EC2TaggedHandler {
    var kind: ResourceKind { .lbTarget }
    var lists: Set<AWSListCall> { [.ec2(.instances)] }

    func apply(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource? {
        try await driver.applyLBTarget(request)
    }

    /// Instances tagged by an lb_target and really registered in one of the groups the load
    /// balancer handler found (`live.targetGroups`). An error names the balancer's address.
    func read(_ batch: AWSRefreshBatch, into live: inout LiveSet, driver: AWSDriver) async throws {
        for (address, groupARN, port) in live.targetGroups {
            let health: XMLNode
            do {
                health = try await driver.client.query(.elbv2, "DescribeTargetHealth", region: batch.region, ["TargetGroupArn": groupARN])
            } catch let error as DriverError {
                throw error.about(address)
            }
            for description in health.list("DescribeTargetHealthResult", "TargetHealthDescriptions") {
                guard let id = description.string("Target", "Id"),
                      let instance = batch[.instances].first(where: { $0.string("instanceId") == id }),
                      let targetAddress = instance.tags[CatalyzeTag.lbTarget].flatMap(ResourceAddress.init(parsing:))
                else { continue }
                let targetPort = description.string("Target", "Port") ?? String(port)
                var attributes = ["load_balancer": address.description, "port": targetPort]
                attributes["instance"] = live.addresses[id]?.description
                live.resources.append(LiveResource(
                    address: targetAddress, kind: .lbTarget,
                    resource: CloudResource(cloudID: "\(groupARN)|\(id)|\(targetPort)", attributes: attributes, outputs: ["target_group_arn": groupARN]),
                    operationToken: instance.tags[CatalyzeTag.lbTargetOperation], lineage: instance.tags[CatalyzeTag.lineage]))
            }
        }
    }

    func ec2Objects(_ resource: CloudResource) -> [String] {
        let parts = resource.cloudID.split(separator: "|").map(String.init)
        return parts.count > 1 ? [parts[1]] : []
    }
}

extension AWSDriver {
    /// lb_target: RegisterTargets of `instance` on `port` in the balancer's target group for that
    /// port (or its first group). The instance is tagged with the target's address and token.
    /// cloudID = `<target group ARN>|<instance>|<port>`.
    func applyLBTarget(_ request: ApplyRequest) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create, .update:
            let spec = try Self.typed(LBTargetSpec.self, request)
            let balancer = try request.dependency(at: spec.loadBalancer)
            let instance = try request.dependency(at: spec.instance).cloudID
            let port = String(spec.port)
            let groups = Self.targetGroups(balancer.outputs["target_groups"] ?? "")
            guard let group = groups[spec.port] ?? groups.keys.sorted().first.flatMap({ groups[$0] }) else {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "the load balancer has no target group")
            }
            _ = try await retryingIncorrectState {
                try await client.query(
                    .elbv2, "RegisterTargets", region: region,
                    ["TargetGroupArn": group, "Targets.member.1.Id": instance, "Targets.member.1.Port": port])
            }
            _ = try await client.query(
                .ec2, "CreateTags", region: region,
                ["ResourceId.1": instance, "Tag.1.Key": CatalyzeTag.lbTarget, "Tag.1.Value": request.spec.address.description,
                 "Tag.2.Key": CatalyzeTag.lbTargetOperation, "Tag.2.Value": request.token])
            try await waitUntilHealthy(request, group: group, instance: (id: instance, address: spec.instance), port: port)
            return CloudResource(
                cloudID: "\(group)|\(instance)|\(port)",
                attributes: ["load_balancer": spec.loadBalancer.description, "instance": spec.instance.description, "port": port],
                outputs: ["target_group_arn": group])
        case .delete:
            guard let prior = request.prior else { return nil }
            let parts = prior.cloudID.split(separator: "|").map(String.init)
            guard parts.count == 3 else { return nil }
            // InvalidTarget: "the specified target does not exist" — its instance is gone (a
            // destroy resumed after the instance was deleted), so the target is too.
            do {
                try await deleteIgnoringMissing {
                    _ = try await client.query(
                        .elbv2, "DeregisterTargets", region: region,
                        ["TargetGroupArn": parts[0], "Targets.member.1.Id": parts[1], "Targets.member.1.Port": parts[2]])
                }
            } catch let error as DriverError where error.awsCode == "InvalidTarget" {}
            try await deleteIgnoringMissing {
                _ = try await client.query(
                    .ec2, "DeleteTags", region: region,
                    ["ResourceId.1": parts[1], "Tag.1.Key": CatalyzeTag.lbTarget, "Tag.2.Key": CatalyzeTag.lbTargetOperation])
            }
            return nil
        }
    }

    /// Waits (`request.healthWait`) until ELBv2 reports `instance` (its EC2 id, and its address for
    /// the message) on `port` healthy in `group`.
    ///
    /// `DescribeTargetHealth` (ELBv2 API reference) answers one `TargetHealthDescription` per
    /// target asked for, with `TargetHealth` {`State`: initial | healthy | unhealthy | unused |
    /// draining | unavailable, `Reason` (e.g. `Target.FailedHealthChecks`), `Description`}. Only
    /// `healthy` receives traffic.
    func waitUntilHealthy(
        _ request: ApplyRequest, group: String, instance target: (id: String, address: ResourceAddress), port: String
    ) async throws {
        guard let limit = request.healthWait else { return }
        let instance = target.id
        try await TargetHealth.wait(address: request.spec.address, target: "instance \(instance) (\(target.address))", limit: limit) {
            let reply = try await client.query(
                .elbv2, "DescribeTargetHealth", region: request.spec.cloudRegion,
                ["TargetGroupArn": group, "Targets.member.1.Id": instance, "Targets.member.1.Port": port])
            let health = reply.list("DescribeTargetHealthResult", "TargetHealthDescriptions")
                .first { $0.string("Target", "Id") == instance }?.at("TargetHealth")
            let state = health?.string("State") ?? "not registered"
            let reason = [health?.string("Reason"), health?.string("Description")].compactMap { $0 }.filter { !$0.isEmpty }
            return TargetHealth(state: state, reason: reason.joined(separator: ": "), healthy: state == "healthy")
        }
    }
}
