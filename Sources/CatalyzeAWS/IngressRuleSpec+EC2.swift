import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// One ingress permission as EC2 holds it: the source a CIDR (`IpRanges`) or a security group id
/// (`UserIdGroupPairs`, a group of the same VPC). `IngressRuleSpec` names a group by the pod's
/// address; this names it by EC2's id, so what is wanted and what DescribeSecurityGroups reports
/// compare like with like.
struct EC2IngressRule: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Where EC2 admits traffic from.
    enum Source: Hashable, Sendable {
        /// A CIDR.
        case cidr(String)
        /// A security group id.
        case group(String)
    }

    /// `tcp`, `udp`, `icmp` or `all`.
    var proto: String
    /// First port.
    var fromPort: Int
    /// Last port.
    var toPort: Int
    /// Its source.
    var source: Source

    /// `rule` with its group (if any) named by EC2 id through `groups` (address → group id); nil
    /// when the group is not among them.
    init?(_ rule: IngressRuleSpec, groups: [ResourceAddress: String]) {
        switch rule.source {
        case .cidr(let cidr): source = .cidr(cidr)
        case .group(let address):
            guard let id = groups[address], !id.isEmpty else { return nil }
            source = .group(id)
        }
        proto = rule.proto
        fromPort = rule.fromPort
        toPort = rule.toPort
    }

    init(proto: String, fromPort: Int, toPort: Int, source: Source) {
        self.proto = proto
        self.fromPort = fromPort
        self.toPort = toPort
        self.source = source
    }

    /// The rule with its group named by address through `addresses` (group id → address); nil for
    /// a group that is none of the pod's.
    func spec(addresses: [String: ResourceAddress]) -> IngressRuleSpec? {
        switch source {
        case .cidr(let cidr): return IngressRuleSpec(proto: proto, fromPort: fromPort, toPort: toPort, cidr: cidr)
        case .group(let id):
            guard let address = addresses[id] else { return nil }
            return IngressRuleSpec(proto: proto, fromPort: fromPort, toPort: toPort, group: address)
        }
    }

    /// `proto/ports/source` (the source as EC2 names it), for messages and ordering.
    var description: String {
        let source = switch self.source {
        case .cidr(let cidr): cidr
        case .group(let id): id
        }
        return "\(proto)/\(fromPort == toPort ? "\(fromPort)" : "\(fromPort)-\(toPort)")/\(source)"
    }

    static func < (lhs: EC2IngressRule, rhs: EC2IngressRule) -> Bool { lhs.description < rhs.description }

    /// The EC2 `IpPermissions.N.*` parameters for this rule, with a rule description (none when empty:
    /// RevokeSecurityGroupIngress matches a rule without it).
    func parameters(index: Int, description: String) -> [String: String] {
        let p = "IpPermissions.\(index)"
        var parameters = ["\(p).IpProtocol": proto == "all" ? "-1" : proto]
        let range = switch source {
        case .cidr(let cidr): ("\(p).IpRanges.1", "CidrIp", cidr)
        case .group(let id): ("\(p).Groups.1", "GroupId", id)
        }
        parameters["\(range.0).\(range.1)"] = range.2
        if !description.isEmpty { parameters["\(range.0).Description"] = description }
        if proto != "all" {
            parameters["\(p).FromPort"] = String(fromPort)
            parameters["\(p).ToPort"] = String(toPort)
        }
        return parameters
    }
}
