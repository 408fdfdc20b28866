import CatalyzeCore

/// Every cloud catalyze knows, with what it offers: one entry per cloud, in `Provider` order.
/// A new cloud adds its `Provider` case and its entry here (the switch in `Provider.capabilities`
/// does not compile until it has one), and its driver's line in the CLI's `DriverRegistry`.
public enum CloudCatalog {
    /// Every cloud's description.
    public static var all: [CloudCapabilities] { Provider.allCases.map(\.capabilities) }

    /// Amazon Web Services.
    public static let aws = CloudCapabilities(
        provider: .aws, displayName: "AWS", regions: CloudRegions.aws, starterRegions: ("us-east-1", "us-west-2"),
        kinds: Set(ResourceKind.allCases.filter { $0.isOffered(by: .aws) }),
        // An ALB terminates TLS; only an NLB passes it through.
        listenerProtocols: ["application": ["http", "https"], "network": ["tcp", "tls", ListenerProtocol.tlsPassthrough]],
        passthroughBesideOtherListeners: true, storageEncryption: true, backupEncryption: .podKey, hostPlacement: true,
        existingNetwork: true, secondSubnet: true, hardwareFirewall: false)

    /// Rackspace.
    public static let rackspace = CloudCapabilities(
        provider: .rax, displayName: "Rackspace", regions: CloudRegions.rackspace, starterRegions: ("ORD", "DFW"),
        kinds: Set(ResourceKind.allCases.filter { $0.isOffered(by: .rax) }),
        // A Cloud Load Balancer of protocol HTTPS forwards the encrypted stream on any balancer type.
        listenerProtocols: ["application": ["http", "https", ListenerProtocol.tlsPassthrough], "network": ["tcp", "tls", ListenerProtocol.tlsPassthrough]],
        passthroughBesideOtherListeners: false, storageEncryption: true, backupEncryption: .customerPassphrase,
        hostPlacement: true, existingNetwork: false, secondSubnet: false, hardwareFirewall: false)
}

extension Provider {
    /// What this cloud offers (its `CloudCatalog` entry).
    public var capabilities: CloudCapabilities {
        switch self {
        case .aws: CloudCatalog.aws
        case .rax: CloudCatalog.rackspace
        }
    }
}
