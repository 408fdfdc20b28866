import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel

/// `backup_plan.main` where backups are kept: see `DesiredState.backupPlans(in:)`.
enum BackupPlanDesire: KindDesire {
    static var kind: ResourceKind { .backupPlan }

    static func resources(in r: RegionDesire) -> [ResourceSpec] { r.state.backupPlans(in: r.region) }
}

extension DesiredState {
    /// The manifest region backups are copied to: `backup.region`, else the first `dr` region, else the primary.
    var backupRegion: RegionSpec {
        let regions = manifest.regions
        if let name = manifest.backup.region, let named = regions.first(where: { $0.name == name }) { return named }
        return regions.first { $0.role == .dr } ?? manifest.primaryRegion
    }

    /// True when `region` runs a container with block storage (a database volume).
    func hasDatabaseVolumes(_ region: RegionSpec) -> Bool {
        PodLayout.slots(manifest).contains { $0.region == region.name && $0.storageGiB != nil }
    }

    /// True when backups of `region` are copied to the backup region: another region of the same cloud,
    /// and that cloud copies between its regions (AWS Backup copy actions; Rackspace Cloud Backup
    /// keeps backups in the server's region only).
    func copiesBackups(of region: RegionSpec) -> Bool {
        let target = backupRegion
        return target.name != region.name && target.provider == region.provider && region.provider.capabilities.backupCopiesAcrossRegions
    }

    /// `backup_plan.main` of `region` when `backup.enabled`, for a region with database volumes, and
    /// for the backup region when another region copies into its vault. Attributes: see
    /// `ResourceKind.backupPlan`; the interval and retention as the region's cloud can keep them
    /// (see `BackupSchedule`). On Rackspace, `backup.passphrase` adds `passphrase` (the reference)
    /// and `encrypted: true`, which refresh reads back, so an unencrypted agent shows as drift.
    func backupPlans(in region: RegionSpec) -> [ResourceSpec] {
        guard manifest.backup.enabled else { return [] }
        let receivesCopies = region.name == backupRegion.name
            && manifest.regions.contains { hasDatabaseVolumes($0) && copiesBackups(of: $0) }
        guard hasDatabaseVolumes(region) || receivesCopies else { return [] }
        let provider = region.provider
        var plan = BackupPlanSpec(
            intervalHours: BackupSchedule.intervalHours(seconds: manifest.backup.interval.seconds),
            retentionDays: BackupSchedule.retentionDays(seconds: manifest.backup.retention.seconds, provider: provider))
        if !provider.capabilities.backupSelectsByTag {
            // Cloud Backup configures each database server's agent; AWS Backup selects the pod's
            // volumes by tag, so an AWS plan needs (and waits for) no instance.
            plan.instances = PodLayout.slots(manifest).filter { $0.region == region.name && $0.storageGiB != nil }.map(\.address)
            // Cloud Backup encrypts each agent's vault with the customer's passphrase. The plan holds
            // the reference only; the driver resolves it when an agent still needs encrypting.
            if let passphrase = manifest.backup.passphrase {
                plan.passphrase = passphrase.description
                plan.encrypted = true
            }
        }
        if manifest.encryption.enabled {
            plan.key = ResourceAddress(region: region.name, kind: .key, name: "storage")
        }
        if hasDatabaseVolumes(region), copiesBackups(of: region) {
            plan.copyTo = backupRegion.cloudRegion
            plan.copyVault = ResourceAddress(region: backupRegion.name, kind: .backupPlan, name: "main")
        }
        return [ResourceSpec(
            address: ResourceAddress(region: region.name, kind: .backupPlan, name: "main"), provider: provider,
            cloudRegion: region.cloudRegion, plan)]
    }
}
