import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// A rule as EC2 security groups take it.
extension IngressRuleSpec {
    /// The EC2 `IpPermissions.N.*` parameters for this rule, with a rule description.
    func parameters(index: Int, description: String) -> [String: String] {
        let p = "IpPermissions.\(index)"
        var parameters = [
            "\(p).IpProtocol": proto == "all" ? "-1" : proto,
            "\(p).IpRanges.1.CidrIp": cidr,
            "\(p).IpRanges.1.Description": description,
        ]
        if proto != "all" {
            parameters["\(p).FromPort"] = String(fromPort)
            parameters["\(p).ToPort"] = String(toPort)
        }
        return parameters
    }
}
