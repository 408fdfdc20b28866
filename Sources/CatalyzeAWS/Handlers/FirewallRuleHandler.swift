import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// firewall_rule: one separately switched ingress rule on the firewall's security group (see
/// `AWSDriver.applyFirewallRule`); read back from the same DescribeSecurityGroups reply as the
/// firewall (the rules described `catalyze:rule=<address> op=<token>`), carrying the group's
/// lineage; tagged on the group it lives on.
struct FirewallRuleHandler: EC2TaggedHandler {
    var kind: ResourceKind { .firewallRule }
    var lists: Set<AWSListCall> { [.ec2(.securityGroups)] }

    func apply(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource? {
        try await driver.applyFirewallRule(request)
    }

    func read(_ batch: AWSRefreshBatch, into live: inout LiveSet, driver: AWSDriver) async throws {
        for group in batch[.securityGroups] {
            guard let id = group.string("groupId"), let address = live.address(group.tags) else { continue }
            for (rule, text) in AWSDriver.rules(of: group, description: { $0.hasPrefix(AWSDriver.switchedRulePrefix) }) {
                guard case .cidr(let cidr) = rule.source else { continue }
                let words = text.dropFirst(AWSDriver.switchedRulePrefix.count).split(separator: " ", maxSplits: 1)
                guard let ruleAddress = words.first.flatMap({ ResourceAddress(parsing: String($0)) }) else { continue }
                let token = words.count > 1 && words[1].hasPrefix("op=") ? String(words[1].dropFirst(3)) : nil
                let attributes = [
                    "firewall": address.description, "protocol": rule.proto, "cidr": cidr,
                    "port": rule.fromPort == rule.toPort ? "\(rule.fromPort)" : "\(rule.fromPort)-\(rule.toPort)",
                ]
                live.resources.append(LiveResource(
                    address: ruleAddress, kind: .firewallRule,
                    resource: CloudResource(cloudID: "\(id)|\(rule)", attributes: attributes, outputs: ["group_id": id]),
                    operationToken: token, lineage: group.tags[CatalyzeTag.lineage]))
            }
        }
    }

    func ec2Objects(_ resource: CloudResource) -> [String] {
        let parts = resource.cloudID.split(separator: "|").map(String.init)
        return [resource.outputs["group_id"] ?? parts.first ?? ""].filter { !$0.isEmpty }
    }
}

extension AWSDriver {
    /// firewall_rule: exactly one ingress rule (`protocol`, `port`, `cidr`) in the firewall's group,
    /// described `catalyze:rule=<address> op=<token>`. Create authorizes it, delete revokes it.
    /// cloudID = `<group>|<rule>`.
    func applyFirewallRule(_ request: ApplyRequest) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create, .update:
            let spec = try Self.typed(FirewallRuleSpec.self, request)
            let group = try request.dependency(at: spec.firewall).cloudID
            let text = "\(spec.proto)/\(spec.port)/\(spec.cidr)"
            guard let parsed = IngressRuleSpec(parsing: text), let cidr = parsed.cidr else {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "malformed rule \(text) (want protocol, port and a CIDR)")
            }
            let rule = EC2IngressRule(proto: parsed.proto, fromPort: parsed.fromPort, toPort: parsed.toPort, source: .cidr(cidr))
            let description = "\(Self.switchedRulePrefix)\(request.spec.address) op=\(request.token)"
            try await authorize([rule], group: group, description: description, region: region)
            return CloudResource(cloudID: "\(group)|\(rule)", attributes: spec.attributes, outputs: ["group_id": group])
        case .delete:
            guard let prior = request.prior, let bar = prior.cloudID.firstIndex(of: "|"),
                  let parsed = IngressRuleSpec(parsing: String(prior.cloudID[prior.cloudID.index(after: bar)...])),
                  let cidr = parsed.cidr
            else { return nil }
            let rule = EC2IngressRule(proto: parsed.proto, fromPort: parsed.fromPort, toPort: parsed.toPort, source: .cidr(cidr))
            try await revoke([rule], group: String(prior.cloudID[..<bar]), region: region)
            return nil
        }
    }
}
