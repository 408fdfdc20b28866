extension KindDefinition {
    /// The rules of `ResourceKind.backupPlan`.
    public static let backupPlan = KindDefinition(
        name: "backup_plan", rank: 110, spec: BackupPlanSpec.self, replaceOnChange: ["key"], emptyMeansNone: ["copy_to"], inPlaceReferenceKeys: ["instances"],
        referenceKeys: ["key", "copy_vault", "instances"])
}

extension ResourceKind {
    /// Scheduled, encrypted backups of one region's database volumes (see `BackupSchedule`).
    /// Only a new `key` replaces it (an AWS vault's key is fixed); it follows its database
    /// instances in place.
    public static let backupPlan = ResourceKind(.backupPlan)
}

/// A `backup_plan`. Attributes `interval` (hours between backups, as the cloud can schedule it),
/// `retention_days`, `copy_to` (cloud region copies go to, same provider; empty for none),
/// `copy_vault` (address of the backup region's plan, whose vault receives the copies), `key`
/// (address of `key.storage`); on Rackspace also `instances` (comma-separated addresses of the
/// region's database instances, whose agents it configures), `passphrase` (a `SecretReference` to
/// the customer's Cloud Backup passphrase, never the value) and `encrypted` (`true` when every
/// agent's vault is encrypted; refresh reads it back).
public struct BackupPlanSpec: KindSpec {
    public static var kind: ResourceKind { .backupPlan }
    public static var definition: KindDefinition { .backupPlan }
    /// Hours between backups.
    public var intervalHours: Int
    /// Days a backup is kept.
    public var retentionDays: Int
    /// The cloud region copies go to; empty for none.
    public var copyTo: String
    /// The plan whose vault receives the copies.
    public var copyVault: ResourceAddress?
    /// The key that encrypts the vault.
    public var key: ResourceAddress?
    /// The database instances whose agents it configures (Rackspace); nil where backups select by tag.
    public var instances: [ResourceAddress]?
    /// The reference to the customer's backup passphrase (Rackspace).
    public var passphrase: String?
    /// Whether every agent's vault is encrypted (Rackspace); nil when not asked.
    public var encrypted: Bool?

    /// Creates the spec.
    public init(
        intervalHours: Int, retentionDays: Int, copyTo: String = "", copyVault: ResourceAddress? = nil,
        key: ResourceAddress? = nil, instances: [ResourceAddress]? = nil, passphrase: String? = nil, encrypted: Bool? = nil
    ) {
        self.intervalHours = intervalHours
        self.retentionDays = retentionDays
        self.copyTo = copyTo
        self.copyVault = copyVault
        self.key = key
        self.instances = instances
        self.passphrase = passphrase
        self.encrypted = encrypted
    }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        let reader = AttributeReader(attributes)
        intervalHours = try reader.int("interval")
        retentionDays = try reader.int("retention_days")
        copyTo = reader.text("copy_to")
        copyVault = try reader.optionalAddress("copy_vault")
        key = try reader.optionalAddress("key")
        instances = reader.optional("instances") == nil ? nil : try reader.addresses("instances")
        passphrase = reader.optional("passphrase").flatMap { $0.isEmpty ? nil : $0 }
        encrypted = reader.optional("encrypted") == nil ? nil : try reader.bool("encrypted")
    }

    public var attributes: [String: String] {
        var attributes = ["interval": "\(intervalHours)", "retention_days": "\(retentionDays)", "copy_to": copyTo]
        attributes.set("copy_vault", copyVault?.description)
        attributes.set("key", key?.description)
        attributes.set("instances", instances.map { $0.map(\.description).sorted().joined(separator: ",") })
        attributes.set("passphrase", passphrase)
        attributes.set("encrypted", encrypted.map { "\($0)" })
        return attributes
    }
}
