import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// The description that marks a firewall's own (base) ingress rules.
let baseRuleDescription = "catalyze:ingress"

/// `firewall`: a Neutron security group with its base ingress rules, tagged in its description.
struct SecurityGroupHandler: RackspaceResourceHandler {
    var kind: ResourceKind { .firewall }
    var lists: Set<RackspaceList> { [.get(.securityGroups), .get(.securityGroupRules)] }

    func apply(_ request: ApplyRequest, driver: RackspaceDriver, region: String) async throws -> ApplyResponse {
        try await driver.applySecurityGroup(request, region: region)
    }

    /// Each pod security group with its base rules as `ingress`.
    func read(_ batch: RackspaceBatch, into found: inout [LiveResource]) {
        for group in batch[.securityGroups] {
            let tags = RackspaceDriver.undescribe(group["description"].string)
            guard tags[CatalyzeTag.pod] == batch.pod else { continue }
            let own = batch[.securityGroupRules].filter { $0["security_group_id"] == group["id"] }
            if let live = RackspaceDriver.live(
                tags, pod: batch.pod, kind: .firewall, resource: RackspaceDriver.securityGroupResource(group, rules: own))
            {
                found.append(live)
            }
        }
    }

    /// The security group's `description` (`key=value;…`): `GET` + `PUT security-groups/{id}`.
    func tag(_ request: TagRequest, driver: RackspaceDriver) async throws -> TagResponse {
        try await driver.retagDescription(request, collection: "security-groups", key: "security_group")
    }
}

extension RackspaceDriver {
    /// `firewall`: a security group whose base ingress rules (description `catalyze:ingress`) are
    /// exactly the `ingress` list; an update adds and removes the difference.
    func applySecurityGroup(_ request: ApplyRequest, region: String) async throws -> ApplyResponse {
        switch request.operation {
        case .create, .update:
            let spec = try request.typed(FirewallSpec.self)
            // Rackspace keeps one pod-wide group (`CloudCapabilities.tieredFirewalls` is false): a rule
            // admitting another group is refused before any call rather than sent without its source.
            if let rule = spec.ingress.first(where: { $0.cidr == nil }) {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "rule \(rule) admits a group; Rackspace firewalls admit CIDRs only")
            }
            var groupID = request.operation == .update ? request.prior?.cloudID : nil
            var group: JSONValue = .null
            if groupID == nil {
                let groups = try await client.call(.network, "GET", "security-groups", region: region, action: "ListSecurityGroups")
                    .body["security_groups"].array
                if let found = groups.first(where: { Self.undescribe($0["description"].string)[CatalyzeTag.operation] == request.token }) {
                    group = found
                } else {
                    var tags = Self.tags(request)
                    tags["catalyze:network"] = spec.network.description
                    let body: JSONValue = [
                        "security_group": ["name": .string(Self.cloudName(request, kind: true)), "description": .string(Self.describe(tags))]
                    ]
                    group = try await client.call(.network, "POST", "security-groups", body: body, region: region, action: "CreateSecurityGroup")
                        .body["security_group"]
                }
                groupID = group["id"].string
            }
            guard let id = groupID, !id.isEmpty else {
                throw DriverError.malformedResponse(service: "network", action: "CreateSecurityGroup", detail: "no group id")
            }
            let desired = Set(spec.ingress)
            let rules = try await groupRules(id, region: region)
            var current: [IngressRuleSpec: String] = [:]
            for rule in rules where rule["description"].string == baseRuleDescription {
                if let parsed = IngressRuleSpec(neutron: rule), let ruleID = rule["id"].string { current[parsed] = ruleID }
            }
            for rule in desired.subtracting(current.keys).sorted() {
                _ = try await client.call(
                    .network, "POST", "security-group-rules", body: rule.neutron(group: id, description: baseRuleDescription),
                    region: region, action: "CreateSecurityGroupRule", expected: [200, 201, 409])
            }
            for (rule, ruleID) in current where !desired.contains(rule) {
                _ = try await client.call(
                    .network, "DELETE", "security-group-rules/\(ruleID)", region: region, action: "DeleteSecurityGroupRule",
                    expected: [200, 202, 204, 404])
            }
            if group.isNull {
                group = try await client.call(.network, "GET", "security-groups/\(id)", region: region, action: "GetSecurityGroup")
                    .body["security_group"]
            }
            return ApplyResponse(resource: Self.securityGroupResource(group, rules: try await groupRules(id, region: region)))
        case .delete:
            let id = try priorID(request)
            _ = try await client.call(
                .network, "DELETE", "security-groups/\(id)", region: region, action: "DeleteSecurityGroup", expected: [200, 202, 204, 404])
            return ApplyResponse(resource: nil)
        }
    }

    func groupRules(_ groupID: String, region: String) async throws -> [JSONValue] {
        try await client.call(
            .network, "GET", "security-group-rules", query: [URLQueryItem(name: "security_group_id", value: groupID)],
            region: region, action: "ListSecurityGroupRules"
        ).body["security_group_rules"].array.filter { $0["security_group_id"].string == groupID }
    }

    static func securityGroupResource(_ group: JSONValue, rules: [JSONValue]) -> CloudResource {
        let tags = undescribe(group["description"].string)
        let base = rules.filter { $0["description"].string == baseRuleDescription }.compactMap(IngressRuleSpec.init(neutron:))
        var attributes = ["ingress": IngressRuleSpec.canonical(base)]
        attributes["network"] = tags["catalyze:network"]
        return CloudResource(cloudID: group["id"].string ?? "", attributes: attributes, outputs: ["name": group["name"].string ?? ""])
    }
}
