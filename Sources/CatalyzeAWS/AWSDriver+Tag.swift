import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// `CloudDriver.tag` on AWS: catalyze's tags set or removed in place on every object a resource is
/// made of, with each service's own tagging call (no create, no update):
///
/// | kind | objects | calls |
/// |---|---|---|
/// | network | VPC and its subnets | EC2 CreateTags / DeleteTags (one call for all) |
/// | firewall, firewall_rule | the security group (a rule lives on it) | EC2 CreateTags / DeleteTags |
/// | vpn | VPN connection, customer gateway, virtual private gateway | EC2 CreateTags / DeleteTags |
/// | volume, attachment | the volume (an attachment lives on its tags) | EC2 CreateTags / DeleteTags |
/// | instance, lb_target | the instance (a target lives on its tags) | EC2 CreateTags / DeleteTags |
/// | key | the KMS key | KMS TagResource / UntagResource |
/// | load_balancer | the balancer and its target groups | ELBv2 AddTags / RemoveTags (one call) |
/// | backup_plan | the backup plan and its vault | AWS Backup TagResource / UntagResource per ARN |
extension AWSDriver {
    /// Sets `request.set` and removes `request.remove` on the resource's objects.
    public func tag(_ request: TagRequest) async throws -> TagResponse {
        let region = request.region
        let resource = request.resource
        let set = request.set.sorted { $0.key < $1.key }
        switch request.kind {
        case .network, .firewall, .firewallRule, .vpn, .volume, .attachment, .instance, .lbTarget:
            let ids = Self.ec2Objects(request.kind, resource)
            guard !ids.isEmpty else { throw DriverError.invalidSpec(address: request.address, reason: "no cloud id to tag") }
            try await queryTagging(
                .ec2, set: ("CreateTags", "Tag"), remove: ("DeleteTags", "Tag", ".Key"), objects: ("ResourceId", ids),
                request: request, sortedSet: set)
            return TagResponse(objects: ids.count)
        case .key:
            if !set.isEmpty {
                _ = try await client.json(.kms, "TagResource", region: region, [
                    "KeyId": resource.cloudID, "Tags": set.map { ["TagKey": $0.key, "TagValue": $0.value] },
                ])
            }
            if !request.remove.isEmpty {
                _ = try await client.json(.kms, "UntagResource", region: region, ["KeyId": resource.cloudID, "TagKeys": request.remove.sorted()])
            }
            return TagResponse(objects: 1)
        case .loadBalancer:
            let groups = (resource.outputs["target_groups"] ?? "").split(separator: ";").compactMap { item in
                item.split(separator: "=", maxSplits: 1).last.map(String.init)
            }
            let arns = [resource.cloudID] + groups.filter { $0.hasPrefix("arn:") }
            try await queryTagging(
                .elbv2, set: ("AddTags", "Tags.member"), remove: ("RemoveTags", "TagKeys.member", ""),
                objects: ("ResourceArns.member", arns), request: request, sortedSet: set)
            return TagResponse(objects: arns.count)
        case .backupPlan:
            let arns = [resource.outputs["plan_arn"], resource.outputs["vault_arn"]].compactMap { $0 }.filter { !$0.isEmpty }
            for arn in arns {
                // AWS Backup API reference: TagResource `POST /tags/{resourceArn}` {"Tags": {…}},
                // UntagResource `POST /untag/{resourceArn}` {"TagKeyList": […]}.
                if !set.isEmpty {
                    _ = try await client.rest(
                        .backup, "TagResource", method: "POST", path: "/tags/\(AWSClient.label(arn))", region: region,
                        ["Tags": Dictionary(uniqueKeysWithValues: set.map { ($0.key, $0.value) })])
                }
                if !request.remove.isEmpty {
                    _ = try await client.rest(
                        .backup, "UntagResource", method: "POST", path: "/untag/\(AWSClient.label(arn))", region: region,
                        ["TagKeyList": request.remove.sorted()])
                }
            }
            return TagResponse(objects: arns.count)
        default:
            throw DriverError.invalidSpec(address: request.address, reason: "AWS does not make a \(request.kind)")
        }
    }

    /// The EC2 ids a resource of `kind` is made of (its tags live on them).
    static func ec2Objects(_ kind: ResourceKind, _ resource: CloudResource) -> [String] {
        let parts = resource.cloudID.split(separator: "|").map(String.init)
        switch kind {
        case .network:
            return [resource.cloudID] + subnets(of: resource).map(\.id)
        case .firewallRule:
            return [resource.outputs["group_id"] ?? parts.first ?? ""].filter { !$0.isEmpty }
        case .vpn:
            return [resource.cloudID, resource.outputs["customer_gateway_id"] ?? "", resource.outputs["vpn_gateway_id"] ?? ""]
                .filter { !$0.isEmpty }
        case .attachment:
            return parts.first.map { [$0] } ?? []
        case .lbTarget:
            return parts.count > 1 ? [parts[1]] : []
        default:
            return [resource.cloudID]
        }
    }

    /// The tags of an AWS Backup resource (ListTags `GET /tags/{resourceArn}/`); empty when it cannot be read.
    func backupTags(_ arn: String, region: String) async throws -> [String: String] {
        guard !arn.isEmpty else { return [:] }
        let reply = try await client.rest(.backup, "ListTags", method: "GET", path: "/tags/\(AWSClient.label(arn))/", region: region)
        return reply["Tags"] as? [String: String] ?? [:]
    }
}

extension AWSDriver {
    /// A Query API's tag and untag calls on `objects` (EC2 CreateTags/DeleteTags: `ResourceId.N`,
    /// `Tag.N.Key`/`.Value`, `Tag.N.Key`; ELBv2 AddTags/RemoveTags: `ResourceArns.member.N`,
    /// `Tags.member.N.Key`/`.Value`, `TagKeys.member.N`): the two differ only in those names.
    func queryTagging(
        _ service: AWSService, set: (action: String, prefix: String), remove: (action: String, prefix: String, suffix: String),
        objects: (prefix: String, ids: [String]), request: TagRequest, sortedSet: [(key: String, value: String)]
    ) async throws {
        var parameters: [String: String] = [:]
        for (n, id) in objects.ids.enumerated() { parameters["\(objects.prefix).\(n + 1)"] = id }
        if !sortedSet.isEmpty {
            var tagging = parameters
            for (n, (key, value)) in sortedSet.enumerated() {
                tagging["\(set.prefix).\(n + 1).Key"] = key
                tagging["\(set.prefix).\(n + 1).Value"] = value
            }
            _ = try await client.query(service, set.action, region: request.region, tagging)
        }
        if !request.remove.isEmpty {
            var untagging = parameters
            for (n, key) in request.remove.sorted().enumerated() { untagging["\(remove.prefix).\(n + 1)\(remove.suffix)"] = key }
            _ = try await client.query(service, remove.action, region: request.region, untagging)
        }
    }
}
