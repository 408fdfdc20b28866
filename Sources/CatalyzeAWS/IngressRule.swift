import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// One ingress rule in the canonical text form `proto/port/cidr` or `proto/from-to/cidr`,
/// e.g. `tcp/443/0.0.0.0/0` or `udp/500-4500/10.0.0.0/8`.
public struct IngressRule: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `tcp`, `udp`, `icmp` or `all`.
    public var proto: String
    /// First port.
    public var fromPort: Int
    /// Last port.
    public var toPort: Int
    /// Source CIDR.
    public var cidr: String

    /// Creates a rule.
    public init(proto: String, fromPort: Int, toPort: Int, cidr: String) {
        self.proto = proto
        self.fromPort = fromPort
        self.toPort = toPort
        self.cidr = cidr
    }

    /// Parses the canonical text; nil when malformed.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 2).map(String.init)
        guard parts.count == 3, !parts[2].isEmpty else { return nil }
        let ports = parts[1].split(separator: "-").map { Int($0) }
        guard !ports.isEmpty, ports.count <= 2, let from = ports[0], let to = ports.last ?? nil else { return nil }
        self.init(proto: parts[0].lowercased(), fromPort: from, toPort: to, cidr: parts[2])
    }

    /// Parses a `;`-joined list; throws `invalidSpec` for a malformed entry.
    static func list(_ text: String, address: ResourceAddress) throws -> [IngressRule] {
        try text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map {
            guard let rule = IngressRule(parsing: $0) else {
                throw DriverError.invalidSpec(address: address, reason: "malformed ingress rule '\($0)' (want proto/port/cidr)")
            }
            return rule
        }
    }

    /// The canonical text.
    public var description: String {
        "\(proto)/\(fromPort == toPort ? "\(fromPort)" : "\(fromPort)-\(toPort)")/\(cidr)"
    }

    /// Orders by canonical text.
    public static func < (lhs: IngressRule, rhs: IngressRule) -> Bool { lhs.description < rhs.description }

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
