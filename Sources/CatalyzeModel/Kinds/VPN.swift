extension KindDefinition {
    /// The rules of `ResourceKind.vpn`.
    public static let vpn = KindDefinition(
        name: "vpn", rank: 40, spec: VPNSpec.self, replaceOnChange: ["network", "peer_ip"], emptyMeansNone: ["remote_cidrs"], referenceKeys: ["network"])
}

extension ResourceKind {
    /// A site-to-site VPN to the customer's peer.
    public static let vpn = ResourceKind(.vpn)
}

/// A `vpn`. Attributes `network` (address), `peer_ip`, `remote_cidrs` (comma-separated; one static
/// route each, changed in place; empty means no route).
public struct VPNSpec: KindSpec {
    public static var kind: ResourceKind { .vpn }
    public static var definition: KindDefinition { .vpn }
    /// The network it routes into.
    public var network: ResourceAddress
    /// The customer gateway's public address.
    public var peerIP: String
    /// The customer's networks behind it, in the order encoded (`DesiredState` sorts them).
    public var remoteCIDRs: [String]

    /// Creates the spec.
    public init(network: ResourceAddress, peerIP: String, remoteCIDRs: [String]) {
        self.network = network
        self.peerIP = peerIP
        self.remoteCIDRs = remoteCIDRs
    }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        let reader = AttributeReader(attributes)
        network = try reader.address("network")
        peerIP = try reader.required("peer_ip")
        remoteCIDRs = reader.list("remote_cidrs")
    }

    public var attributes: [String: String] {
        ["network": network.description, "peer_ip": peerIP, "remote_cidrs": remoteCIDRs.joined(separator: ",")]
    }
}
