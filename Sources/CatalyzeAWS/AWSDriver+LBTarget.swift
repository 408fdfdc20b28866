import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

extension AWSDriver {
    /// lb_target: RegisterTargets of `instance` on `port` in the balancer's target group for that
    /// port (or its first group). The instance is tagged with the target's address and token.
    /// cloudID = `<target group ARN>|<instance>|<port>`.
    func applyLBTarget(_ request: ApplyRequest) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create, .update:
            let balancer = try dependency(request, "load_balancer")
            let instance = try request.dependencyID("instance")
            let port = try required(request, "port")
            let groups = Self.targetGroups(balancer.outputs["target_groups"] ?? "")
            guard let group = groups[Int(port) ?? -1] ?? groups.keys.sorted().first.flatMap({ groups[$0] }) else {
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
            try await waitUntilHealthy(request, group: group, instance: instance, port: port)
            return CloudResource(
                cloudID: "\(group)|\(instance)|\(port)",
                attributes: ["load_balancer": request.spec.attributes["load_balancer"] ?? "", "instance": request.spec.attributes["instance"] ?? "", "port": port],
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
}
