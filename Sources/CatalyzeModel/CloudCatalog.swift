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
        existingNetwork: true, secondSubnet: true, hardwareFirewall: false, backupRetentionPeriods: nil,
        backupSelectsByTag: true, backupCopiesAcrossRegions: true, namedVolumeTypes: false,
        fleetJoining: "allocate EC2 dedicated hosts there tagged catalyze:fleet (any value)",
        fleetSeedScript: "scripts/seed-aws-fleet.py")

    /// Rackspace.
    public static let rackspace = CloudCapabilities(
        provider: .rax, displayName: "Rackspace", regions: CloudRegions.rackspace, starterRegions: ("ORD", "DFW"),
        kinds: Set(ResourceKind.allCases.filter { $0.isOffered(by: .rax) }),
        // A Cloud Load Balancer of protocol HTTPS forwards the encrypted stream on any balancer type.
        listenerProtocols: ["application": ["http", "https", ListenerProtocol.tlsPassthrough], "network": ["tcp", "tls", ListenerProtocol.tlsPassthrough]],
        passthroughBesideOtherListeners: false, storageEncryption: true, backupEncryption: .customerPassphrase,
        hostPlacement: true, existingNetwork: false, secondSubnet: false, hardwareFirewall: false,
        // Cloud Backup's VersionRetention: 30 or 60 days, or 0 (forever).
        backupRetentionPeriods: [30, 60], backupSelectsByTag: false, backupCopiesAcrossRegions: false,
        namedVolumeTypes: true,
        fleetJoining: "mark each dedicated host's Cloud Monitoring entity there with catalyze:fleet metadata (man 5 catalyze-manifest, RACKSPACE PLACEMENT)",
        fleetSeedScript: "scripts/seed-rax-fleet.py")
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
