import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// `firewall_rule`: one ingress rule in its firewall's security group, tagged in the rule's
/// description.
struct SecurityGroupRuleHandler: RackspaceResourceHandler {
    var kind: ResourceKind { .firewallRule }
    var lists: Set<RackspaceList> { [.get(.securityGroups), .get(.securityGroupRules)] }

    func apply(_ request: ApplyRequest, driver: RackspaceDriver, region: String) async throws -> ApplyResponse {
        try await driver.applySecurityGroupRule(request, region: region)
    }

    /// Each tagged rule of a pod security group.
    func read(_ batch: RackspaceBatch, into found: inout [LiveResource]) {
        for group in batch[.securityGroups] {
            let tags = RackspaceDriver.undescribe(group["description"].string)
            guard tags[CatalyzeTag.pod] == batch.pod else { continue }
            for rule in batch[.securityGroupRules] where rule["security_group_id"] == group["id"] {
                let ruleTags = RackspaceDriver.undescribe(rule["description"].string)
                let resource = RackspaceDriver.ruleResource(rule, firewall: tags[CatalyzeTag.address] ?? "")
                // A rule carries its group's lineage: Neutron rules cannot be updated, so only the
                // group can be re-tagged.
                if var live = RackspaceDriver.live(ruleTags, pod: batch.pod, kind: .firewallRule, resource: resource) {
                    live.lineage = tags[CatalyzeTag.lineage]
                    found.append(live)
                }
            }
        }
    }

    /// Nothing of its own: a rule carries its group's lineage.
    func tag(_ request: TagRequest, driver: RackspaceDriver) async throws -> TagResponse { TagResponse(objects: 0) }
}

extension RackspaceDriver {
    /// `firewall_rule`: exactly one ingress rule in the firewall's group, tagged in its description;
    /// create authorises it, delete revokes it — one rule change each.
    func applySecurityGroupRule(_ request: ApplyRequest, region: String) async throws -> ApplyResponse {
        switch request.operation {
        case .create, .update:
            let spec = try request.typed(FirewallRuleSpec.self)
            let groupID = try request.dependencyID(of: spec.firewall)
            let text = "\(spec.proto)/\(spec.port)/\(spec.cidr)"
            guard let rule = IngressRuleSpec(parsing: text) else {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "firewall_rule '\(text)' is not protocol/port/cidr")
            }
            let rules = try await groupRules(groupID, region: region)
            var found = rules.first { Self.undescribe($0["description"].string)[CatalyzeTag.operation] == request.token }
            if found == nil {
                var tags = Self.tags(request)
                tags["catalyze:purpose"] = spec.purpose
                let reply = try await client.call(
                    .network, "POST", "security-group-rules", body: rule.neutron(group: groupID, description: Self.describe(tags)),
                    region: region, action: "CreateSecurityGroupRule")
                found = reply.body["security_group_rule"]
            }
            return ApplyResponse(resource: Self.ruleResource(found ?? .null, firewall: spec.firewall.description))
        case .delete:
            let id = try priorID(request)
            _ = try await client.call(
                .network, "DELETE", "security-group-rules/\(id)", region: region, action: "DeleteSecurityGroupRule",
                expected: [200, 202, 204, 404])
            return ApplyResponse(resource: nil)
        }
    }

    static func ruleResource(_ rule: JSONValue, firewall: String) -> CloudResource {
        let tags = undescribe(rule["description"].string)
        var attributes = ["firewall": firewall]
        attributes["purpose"] = tags["catalyze:purpose"]
        if let parsed = IngressRuleSpec(neutron: rule) {
            attributes["protocol"] = parsed.proto
            attributes["port"] = parsed.fromPort == parsed.toPort ? String(parsed.fromPort) : "\(parsed.fromPort)-\(parsed.toPort)"
            attributes["cidr"] = parsed.cidr
        }
        return CloudResource(cloudID: rule["id"].string ?? "", attributes: attributes, outputs: ["security_group": rule["security_group_id"].string ?? ""])
    }
}
