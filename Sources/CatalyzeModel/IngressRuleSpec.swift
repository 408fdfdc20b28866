/// One ingress rule, as plans and lockfiles write it: `proto/port/source` or `proto/from-to/source`,
/// e.g. `tcp/443/0.0.0.0/0`, `udp/500-4500/10.0.0.0/8` or `tcp/5432/primary/firewall.app` (the
/// `ingress` attribute of a `firewall`, `;`-joined, sorted and unique). The source is typed
/// (`IngressSource`): a CIDR or another firewall of the pod, admitted by reference.
///
/// The one parser and printer of that text: `DesiredState` encodes with `canonical`, the AWS
/// (security group) and Rackspace (Neutron) drivers read the typed rules with `list(canonical:)`
/// and report what they find with `canonical` too, so a plan compares like with like.
public struct IngressRuleSpec: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `tcp`, `udp`, `icmp` or `all`.
    public var proto: String
    /// First port.
    public var fromPort: Int
    /// Last port.
    public var toPort: Int
    /// Where it admits traffic from.
    public var source: IngressSource

    /// Creates a rule with any source.
    public init(proto: String, fromPort: Int, toPort: Int, source: IngressSource) {
        self.proto = proto
        self.fromPort = fromPort
        self.toPort = toPort
        self.source = source
    }

    /// Creates a rule admitting a network.
    public init(proto: String, fromPort: Int, toPort: Int, cidr: String) {
        self.init(proto: proto, fromPort: fromPort, toPort: toPort, source: .cidr(cidr))
    }

    /// Creates a rule admitting the members of the firewall at `group`.
    public init(proto: String, fromPort: Int, toPort: Int, group: ResourceAddress) {
        self.init(proto: proto, fromPort: fromPort, toPort: toPort, source: .group(group))
    }

    /// The source CIDR; nil when the rule admits a group.
    public var cidr: String? { source.cidr }

    /// Parses the canonical text; nil when malformed.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 2).map(String.init)
        guard parts.count == 3, !parts[2].isEmpty else { return nil }
        let ports = parts[1].split(separator: "-").map { Int($0) }
        guard !ports.isEmpty, ports.count <= 2, let from = ports[0], let to = ports.last ?? nil,
              let source = IngressSource(parsing: parts[2])
        else { return nil }
        self.init(proto: parts[0].lowercased(), fromPort: from, toPort: to, source: source)
    }

    /// Parses a `;`-joined list.
    public static func list(canonical text: String) throws(MalformedSpecText) -> [IngressRuleSpec] {
        var rules: [IngressRuleSpec] = []
        for entry in canonicalEntries(text) {
            guard let rule = IngressRuleSpec(parsing: entry) else {
                throw MalformedSpecText(what: "ingress rule", text: entry, form: "proto/port/cidr or proto/port/region/firewall.name")
            }
            rules.append(rule)
        }
        return rules
    }

    /// The `;`-joined list, sorted and without repeats (as a cloud reads a rule set back: order
    /// and duplicates in the manifest are no change).
    public static func canonical(_ rules: some Sequence<IngressRuleSpec>) -> String {
        Set(rules).sorted().map(\.description).joined(separator: ";")
    }

    /// The canonical text.
    public var description: String {
        "\(proto)/\(fromPort == toPort ? "\(fromPort)" : "\(fromPort)-\(toPort)")/\(source)"
    }

    /// Orders by canonical text.
    public static func < (lhs: IngressRuleSpec, rhs: IngressRuleSpec) -> Bool { lhs.description < rhs.description }
}
