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
        for group in batch[.securityGroups] {
            guard let id = group.string("groupId"), let address = live.address(group.tags) else { continue }
            let vpc = group.string("vpcId") ?? ""
            let base = AWSDriver.rules(of: group) { $0 == AWSDriver.firewallRuleDescription }.map(\.rule)
            var attributes = ["ingress": IngressRuleSpec.canonical(base)]
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

    /// firewall: a security group in the network's VPC with the `ingress` rules. Update adds and
    /// revokes only the difference. cloudID = the group id.
    func applyFirewall(_ request: ApplyRequest) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create:
            let spec = try Self.typed(FirewallSpec.self, request)
            let vpc = try request.dependency(at: spec.network).cloudID
            let rules = spec.ingress
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
            try await authorize(rules, group: group.cloudID, description: Self.firewallRuleDescription, region: region)
            return CloudResource(
                cloudID: group.cloudID,
                attributes: ["network": spec.network.description, "ingress": IngressRuleSpec.canonical(rules)],
                outputs: ["vpc_id": vpc])
        case .update:
            guard let group = request.prior?.cloudID else {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "update without a recorded security group")
            }
            let wanted = Set(try Self.typed(FirewallSpec.self, request).ingress)
            let reply = try await client.query(.ec2, "DescribeSecurityGroups", region: region, ["GroupId.1": group])
            let current = Set(Self.rules(of: reply.list("securityGroupInfo").first, description: { $0 == Self.firewallRuleDescription }).map(\.rule))
            try await authorize(Array(wanted.subtracting(current)).sorted(), group: group, description: Self.firewallRuleDescription, region: region)
            try await revoke(Array(current.subtracting(wanted)).sorted(), group: group, region: region)
            var resource = request.prior!
            resource.attributes["ingress"] = IngressRuleSpec.canonical(Array(wanted))
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

    /// Adds `rules` to `group` in one AuthorizeSecurityGroupIngress call; when EC2 refuses the batch
    /// because one of them is already there (all or nothing), one call per rule.
    func authorize(_ rules: [IngressRuleSpec], group: String, description: String, region: String) async throws {
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

    func revoke(_ rules: [IngressRuleSpec], group: String, region: String) async throws {
        for rule in rules {
            var parameters = rule.parameters(index: 1, description: "")
            parameters["IpPermissions.1.IpRanges.1.Description"] = nil
            parameters["GroupId"] = group
            try await deleteIgnoringMissing {
                _ = try await client.query(.ec2, "RevokeSecurityGroupIngress", region: region, parameters)
            }
        }
    }

    /// The IPv4 ingress rules of a `DescribeSecurityGroups` item whose description passes `description`.
    static func rules(of group: XMLNode?, description: (String) -> Bool) -> [(rule: IngressRuleSpec, description: String)] {
        guard let group else { return [] }
        var result: [(IngressRuleSpec, String)] = []
        for permission in group.list("ipPermissions") {
            let proto = permission.string("ipProtocol") ?? "-1"
            let from = Int(permission.string("fromPort") ?? "") ?? 0
            let to = Int(permission.string("toPort") ?? "") ?? 0
            for range in permission.list("ipRanges") {
                let text = range.string("description") ?? ""
                guard let cidr = range.string("cidrIp"), description(text) else { continue }
                let rule = IngressRuleSpec(proto: proto == "-1" ? "all" : proto, fromPort: proto == "-1" ? 0 : from, toPort: proto == "-1" ? 0 : to, cidr: cidr)
                result.append((rule, text))
            }
        }
        return result
    }
}
