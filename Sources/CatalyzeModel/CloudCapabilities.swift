import CatalyzeCore

/// What one cloud offers catalyze, as data: the manifest's rules ask this instead of naming
/// clouds, and the README's cloud table reads the same facts.
///
/// It lives here, beneath the manifest, rather than beside each driver: `validate` checks a
/// manifest without making drivers (no credentials, no network), and `CatalyzeManifest` cannot
/// depend on `CatalyzeDrivers` or the driver targets, which sit above it. Each cloud's description
/// is a file of `Clouds/` (a `CloudDescription`); its driver is one line of the CLI's `DriverRegistry`.
public struct CloudCapabilities: Sendable, Hashable {
    /// How a cloud's backups are encrypted at rest.
    public enum BackupEncryption: Sendable, Hashable {
        /// With the pod's own storage key (AWS Backup vaults under the pod's KMS key): nothing to configure.
        case podKey
        /// With a passphrase the customer holds (Rackspace Cloud Backup): `backup.passphrase` names it.
        case customerPassphrase
    }

    /// The cloud.
    public var provider: Provider
    /// Its name in messages: `AWS`, `Rackspace`.
    public var displayName: String
    /// The cloud region codes `regions[].region` may name.
    public var regions: [String]
    /// The regions `catalyze init` writes for the primary and the DR region.
    public var starterRegions: (primary: String, dr: String)
    /// The resource kinds its driver makes.
    public var kinds: Set<ResourceKind>
    /// The listener protocols each load-balancer type serves (`application`, `network`).
    public var listenerProtocols: [String: Set<String>]
    /// True when a `tls-passthrough` listener may share the balancer with other listeners (false:
    /// the balancer serves one protocol on one port, as a Rackspace Cloud Load Balancer does).
    public var passthroughBesideOtherListeners: Bool
    /// True when volumes are encrypted with the customer's key (a KMS key, an encrypted volume type).
    public var storageEncryption: Bool
    /// How backups are encrypted.
    public var backupEncryption: BackupEncryption
    /// True when instances are placed on the physical hosts the scheduler chose (dedicated hosts).
    public var hostPlacement: Bool
    /// True when a region may use an existing network (`regions[].network`) instead of making one.
    public var existingNetwork: Bool
    /// True when a network catalyze makes gets a second subnet the size of `network.subnetCidr` in
    /// another zone (for an application load balancer), so the subnet must leave room for it.
    public var secondSubnet: Bool
    /// True when the pod can sit behind a hardware firewall appliance (none can today).
    public var hardwareFirewall: Bool
    /// How long backups can be kept, in days: nil for any whole number of days (at least 1), else
    /// the periods offered, in order, where 0 means "forever" (Rackspace Cloud Backup: 30, 60, 0).
    public var backupRetentionPeriods: [Int]?
    /// True when backups are selected by tag, so a backup plan needs no instance (AWS Backup);
    /// false when each database server's agent is configured (Rackspace Cloud Backup).
    public var backupSelectsByTag: Bool
    /// True when backups can be copied to another region of the same cloud (AWS Backup copy actions).
    public var backupCopiesAcrossRegions: Bool
    /// True when an encrypted volume's type is chosen by name (`encryption.volumeType`: Cinder types).
    public var namedVolumeTypes: Bool
    /// How a dedicated host joins the fleet on this cloud, for the "no fleet hosts" advice.
    public var fleetJoining: String
    /// The script that seeds a fleet in this cloud's emulator.
    public var fleetSeedScript: String
    /// True when instances' root volumes are encrypted with the pod's key as well as the data
    /// volumes (AWS: EBS encrypts a root volume at launch with the key RunInstances names).
    public var rootVolumeEncryption: Bool
    /// True when the cloud has a region-wide setting that encrypts every new volume (AWS: EBS
    /// encryption by default), which a `hipaa` pod's key switches on.
    public var encryptionByDefault: Bool
    /// True when a key catalyze makes gets an explicit key policy naming the customer's key
    /// administrators (`encryption.keyAdministrators`; AWS KMS key policies).
    public var keyPolicy: Bool
    /// True when each tier of the pod (load balancer, app, api, db, logging, monitoring) has its own
    /// firewall admitting only its callers by group reference (`FirewallTier`); false for one
    /// pod-wide `firewall.main`.
    public var tieredFirewalls: Bool

    /// Creates a description.
    public init(
        provider: Provider, displayName: String, regions: [String], starterRegions: (primary: String, dr: String),
        kinds: Set<ResourceKind>, listenerProtocols: [String: Set<String>], passthroughBesideOtherListeners: Bool,
        storageEncryption: Bool, backupEncryption: BackupEncryption, hostPlacement: Bool, existingNetwork: Bool,
        secondSubnet: Bool, hardwareFirewall: Bool, backupRetentionPeriods: [Int]? = nil, backupSelectsByTag: Bool = true,
        backupCopiesAcrossRegions: Bool = false, namedVolumeTypes: Bool = false, fleetJoining: String = "",
        fleetSeedScript: String = "", rootVolumeEncryption: Bool = false, encryptionByDefault: Bool = false,
        keyPolicy: Bool = false, tieredFirewalls: Bool = false
    ) {
        self.tieredFirewalls = tieredFirewalls
        self.keyPolicy = keyPolicy
        self.rootVolumeEncryption = rootVolumeEncryption
        self.encryptionByDefault = encryptionByDefault
        self.backupRetentionPeriods = backupRetentionPeriods
        self.backupSelectsByTag = backupSelectsByTag
        self.backupCopiesAcrossRegions = backupCopiesAcrossRegions
        self.namedVolumeTypes = namedVolumeTypes
        self.fleetJoining = fleetJoining
        self.fleetSeedScript = fleetSeedScript
        self.provider = provider
        self.displayName = displayName
        self.regions = regions
        self.starterRegions = starterRegions
        self.kinds = kinds
        self.listenerProtocols = listenerProtocols
        self.passthroughBesideOtherListeners = passthroughBesideOtherListeners
        self.storageEncryption = storageEncryption
        self.backupEncryption = backupEncryption
        self.hostPlacement = hostPlacement
        self.existingNetwork = existingNetwork
        self.secondSubnet = secondSubnet
        self.hardwareFirewall = hardwareFirewall
    }

    /// The days this cloud keeps backups for when asked to keep them `seconds`: never less than
    /// asked (whole days rounded up, at least 1; else the first period offered that is long
    /// enough, else forever).
    public func backupRetentionDays(seconds: Int) -> Int {
        let days = max(1, (seconds + 86_399) / 86_400)
        guard let periods = backupRetentionPeriods else { return days }
        return periods.first { $0 >= days } ?? 0
    }

    /// True when a load balancer of `type` serves `proto` listeners on this cloud.
    public func serves(_ proto: String, on type: String) -> Bool { listenerProtocols[type]?.contains(proto) ?? false }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.provider == rhs.provider }
    public func hash(into hasher: inout Hasher) { hasher.combine(provider) }
}
