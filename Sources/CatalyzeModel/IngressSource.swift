/// Where an ingress rule admits traffic from: a network (CIDR) or the members of another of the
/// pod's firewalls (an EC2 security-group reference, a Neutron `remote_group_id`).
///
/// Written in a rule's canonical text in the source's place, as its own form already is: a CIDR
/// (`10.0.0.0/8`, `::/0`) or an address (`primary/firewall.app`). The two cannot be confused: an
/// address has a dot after its slash and names a kind, a CIDR has only digits (or hex) after it.
public enum IngressSource: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// A network, e.g. `0.0.0.0/0`.
    case cidr(String)
    /// Every member of the firewall at this address.
    case group(ResourceAddress)

    /// Parses a CIDR or a firewall's address; nil when empty or an address of another kind.
    public init?(parsing text: String) {
        guard !text.isEmpty else { return nil }
        if let address = ResourceAddress(parsing: text) {
            guard address.kind == .firewall else { return nil }
            self = .group(address)
        } else {
            self = .cidr(text)
        }
    }

    /// The CIDR, nil for a group.
    public var cidr: String? {
        if case .cidr(let cidr) = self { return cidr }
        return nil
    }

    /// The firewall's address, nil for a CIDR.
    public var group: ResourceAddress? {
        if case .group(let address) = self { return address }
        return nil
    }

    /// The CIDR or the address, as the canonical text writes it.
    public var description: String {
        switch self {
        case .cidr(let cidr): cidr
        case .group(let address): address.description
        }
    }

    /// Orders by text.
    public static func < (lhs: IngressSource, rhs: IngressSource) -> Bool { lhs.description < rhs.description }
}
