import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// firewall: a security group with the base ingress rules (see `AWSDriver.applyFirewall`); read
/// back from the pod's security groups (DescribeSecurityGroups): the rules described
/// `catalyze:firewall`; tagged on the group.
struct FirewallHandler: EC2TaggedHandler {
    var kind: ResourceKind { .firewall }
    var lists: Set<AWSListCall> { [.ec2(.securityGroups)] }

    func apply(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource? {
        try await driver.applyFirewall(request)
    }

    func read(_ batch: AWSRefreshBatch, into live: inout LiveSet, driver: AWSDriver) async throws {
        // Every group of the pod by id first: a rule may admit a group read after its own.
        var pod: [String: ResourceAddress] = [:]
        for group in batch[.securityGroups] {
            if let id = group.string("groupId"), let address = live.address(group.tags) { pod[id] = address }
        }
        for group in batch[.securityGroups] {
            guard let id = group.string("groupId"), let address = pod[id] else { continue }
            let vpc = group.string("vpcId") ?? ""
            // A rule admitting a group that is none of the pod's has no address to be named by: it
            // is left out of the read-back (an update, comparing by group id, revokes it).
            let base = AWSDriver.rules(of: group) { $0 == AWSDriver.firewallRuleDescription }.compactMap { $0.rule.spec(addresses: pod) }
            let sources = Set(base.compactMap(\.source.group)).subtracting([address]).sorted()
            var attributes = ["ingress": IngressRuleSpec.canonical(base)]
            attributes["sources"] = sources.isEmpty ? nil : sources.map(\.description).joined(separator: ",")
            attributes["network"] = live.addresses[vpc]?.description
            live.add(address, .firewall, CloudResource(cloudID: id, attributes: attributes, outputs: ["vpc_id": vpc]), group.tags, id: id)
        }
    }

    func ec2Objects(_ resource: CloudResource) -> [String] { [resource.cloudID] }
}

extension AWSDriver {
    /// Description on the base rules a firewall owns (so separately switched rules are left alone).
    static let firewallRuleDescription = "catalyze:firewall"
    /// Prefix of the description of a `firewall_rule` rule: `catalyze:rule=<address> op=<token>`.
    static let switchedRulePrefix = "catalyze:rule="

    /// firewall: a security group in the network's VPC with the `ingress` rules, a rule admitting
    /// another of the pod's firewalls (`sources`, made first) or the group itself as a group
    /// reference. Update adds and revokes only the difference, compared by group id (so a source
    /// made anew is followed in place). cloudID = the group id.
    func applyFirewall(_ request: ApplyRequest) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create:
            let spec = try Self.typed(FirewallSpec.self, request)
            let vpc = try request.dependency(at: spec.network).cloudID
            // Every source checked before the group exists: a refused spec leaves nothing behind.
            _ = try Self.resolved(spec, request, own: "")
            let group = try await createOnce(
                firstUse: request.firstUse,
                lookup: { try await findByOperation("DescribeSecurityGroups", "securityGroupInfo", "groupId", request).map { CloudResource(cloudID: $0) } },
                create: {
                    var parameters = Self.tagSpecification(request, resourceType: "security-group")
                    let suffix = SigV4Signer.hexSHA256(Data(request.token.utf8)).prefix(8)
                    parameters["GroupName"] = "catalyze-\(request.pod)-\(request.spec.address.name)-\(suffix)"
                    parameters["GroupDescription"] = "catalyze \(request.pod) \(request.spec.address)"
                    parameters["VpcId"] = vpc
                    let reply = try await consistent {
                        try await client.query(.ec2, "CreateSecurityGroup", region: region, parameters, idempotent: false)
                    }
                    return CloudResource(cloudID: reply.string("groupId") ?? "")
                })
            let rules = try Self.resolved(spec, request, own: group.cloudID)
            try await authorize(rules, group: group.cloudID, description: Self.firewallRuleDescription, region: region)
            return CloudResource(cloudID: group.cloudID, attributes: spec.attributes, outputs: ["vpc_id": vpc])
        case .update:
            guard let group = request.prior?.cloudID else {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "update without a recorded security group")
            }
            let spec = try Self.typed(FirewallSpec.self, request)
            let wanted = Set(try Self.resolved(spec, request, own: group))
            let reply = try await client.query(.ec2, "DescribeSecurityGroups", region: region, ["GroupId.1": group])
            let current = Set(Self.rules(of: reply.list("securityGroupInfo").first, description: { $0 == Self.firewallRuleDescription }).map(\.rule))
            try await authorize(Array(wanted.subtracting(current)).sorted(), group: group, description: Self.firewallRuleDescription, region: region)
            try await revoke(Array(current.subtracting(wanted)).sorted(), group: group, region: region)
            var resource = request.prior!
            resource.attributes = spec.attributes
            return resource
        case .delete:
            guard let group = request.prior?.cloudID, !group.isEmpty else { return nil }
            for attempt in 1...client.configuration.consistencyAttempts {
                do {
                    try await deleteIgnoringMissing {
                        _ = try await client.query(.ec2, "DeleteSecurityGroup", region: region, ["GroupId": group])
                    }
                    return nil
                } catch let error as DriverError where error.awsCode == "DependencyViolation" && attempt < client.configuration.consistencyAttempts {
                    try await client.pause(attempt: attempt, throttled: false)
                }
            }
            return nil
        }
    }

    /// The spec's rules as EC2 takes them: a group source named by the id of the dependency at its
    /// address (`own`: the group being made or updated; empty to check a spec before the group
    /// exists). A source that is not a recorded dependency
    /// is `invalidSpec` (it names a firewall the plan does not make first).
    static func resolved(_ spec: FirewallSpec, _ request: ApplyRequest, own: String) throws -> [EC2IngressRule] {
        var groups = request.dependencies.filter { $0.key.kind == .firewall }.mapValues(\.cloudID)
        groups[request.spec.address] = own.isEmpty ? "(this group)" : own
        return try spec.ingress.map { rule in
            guard let resolved = EC2IngressRule(rule, groups: groups) else {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "rule \(rule) admits a firewall that is not among its sources")
            }
            return resolved
        }
    }

    /// Adds `rules` to `group` in one AuthorizeSecurityGroupIngress call; when EC2 refuses the batch
    /// because one of them is already there (all or nothing), one call per rule.
    func authorize(_ rules: [EC2IngressRule], group: String, description: String, region: String) async throws {
        guard !rules.isEmpty else { return }
        if rules.count > 1 {
            var parameters = ["GroupId": group]
            for (n, rule) in rules.enumerated() { parameters.merge(rule.parameters(index: n + 1, description: description)) { _, new in new } }
            do {
                _ = try await consistent {
                    try await client.query(.ec2, "AuthorizeSecurityGroupIngress", region: region, parameters)
                }
                return
            } catch let error as DriverError where error.awsCode == "InvalidPermission.Duplicate" {}
        }
        for rule in rules {
            var parameters = rule.parameters(index: 1, description: description)
            parameters["GroupId"] = group
            do {
                _ = try await consistent {
                    try await client.query(.ec2, "AuthorizeSecurityGroupIngress", region: region, parameters)
                }
            } catch let error as DriverError where error.awsCode == "InvalidPermission.Duplicate" {}
        }
    }

    func revoke(_ rules: [EC2IngressRule], group: String, region: String) async throws {
        for rule in rules {
            var parameters = rule.parameters(index: 1, description: "")
            parameters["GroupId"] = group
            try await deleteIgnoringMissing {
                _ = try await client.query(.ec2, "RevokeSecurityGroupIngress", region: region, parameters)
            }
        }
    }

    /// The IPv4 and group-reference ingress rules of a `DescribeSecurityGroups` item whose
    /// description passes `description`.
    static func rules(of group: XMLNode?, description: (String) -> Bool) -> [(rule: EC2IngressRule, description: String)] {
        guard let group else { return [] }
        var result: [(EC2IngressRule, String)] = []
        for permission in group.list("ipPermissions") {
            let proto = permission.string("ipProtocol") ?? "-1"
            let from = Int(permission.string("fromPort") ?? "") ?? 0
            let to = Int(permission.string("toPort") ?? "") ?? 0
            func add(_ source: EC2IngressRule.Source, _ text: String) {
                guard description(text) else { return }
                let all = proto == "-1"
                result.append((EC2IngressRule(proto: all ? "all" : proto, fromPort: all ? 0 : from, toPort: all ? 0 : to, source: source), text))
            }
            for range in permission.list("ipRanges") {
                if let cidr = range.string("cidrIp") { add(.cidr(cidr), range.string("description") ?? "") }
            }
            for pair in permission.list("groups") {
                if let id = pair.string("groupId") { add(.group(id), pair.string("description") ?? "") }
            }
        }
        return result
    }
}
