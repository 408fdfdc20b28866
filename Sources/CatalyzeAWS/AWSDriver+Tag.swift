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
/// | subnet, internet_gw, route_table, vpc_endpoint | the subnet, gateway, route table, endpoint | EC2 CreateTags / DeleteTags |
/// | firewall, firewall_rule | the security group (a rule lives on it) | EC2 CreateTags / DeleteTags |
/// | vpn | VPN connection, customer gateway, virtual private gateway | EC2 CreateTags / DeleteTags |
/// | volume, attachment | the volume (an attachment lives on its tags) | EC2 CreateTags / DeleteTags |
/// | instance, lb_target | the instance (a target lives on its tags) | EC2 CreateTags / DeleteTags |
/// | key | the KMS key | KMS TagResource / UntagResource |
/// | load_balancer | the balancer and its target groups | ELBv2 AddTags / RemoveTags (one call) |
/// | backup_plan | the backup plan and its vault | AWS Backup TagResource / UntagResource per ARN |
///
/// Each row is its kind's handler's `tag` (`Handlers/`); the EC2 rows share `EC2TaggedHandler`'s.
extension AWSDriver {
    /// Sets `request.set` and removes `request.remove` on the resource's objects (the kind's
    /// handler knows which, and with which calls).
    public func tag(_ request: TagRequest) async throws -> TagResponse {
        try await Self.handler(for: request.kind, address: request.address).tag(request, driver: self)
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
