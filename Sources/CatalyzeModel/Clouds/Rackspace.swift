import CatalyzeCore

/// Rackspace: Identity v2, Cloud Servers, Cloud Load Balancers, Cloud Monitoring, Cloud Block
/// Storage (Cinder), Cloud Networks (Neutron), Cloud Backup. Its driver is `CatalyzeRackspace`, made
/// by the CLI's `DriverRegistry`.
enum RackspaceCloud: CloudDescription {
    static let provider = Provider(registered: "rax")

    /// Public cloud region codes, as the Rackspace Cloud API's "Service access endpoints" lists them
    /// (https://docs.rackspace.com/docs/cloud-servers/v2/general-api-info/service-access).
    static let regions: [String] = ["DFW", "ORD", "IAD", "LON", "SYD", "HKG"]

    static let capabilities = CloudCapabilities(
        provider: .rax, displayName: "Rackspace", regions: regions, starterRegions: ("ORD", "DFW"),
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
    /// Rackspace (`rax` in manifests and lockfiles).
    public static var rax: Provider { RackspaceCloud.provider }
}

extension CloudCatalog {
    /// What Rackspace offers.
    public static var rackspace: CloudCapabilities { RackspaceCloud.capabilities }
}
