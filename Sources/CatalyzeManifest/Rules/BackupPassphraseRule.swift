import CatalyzeCore
import CatalyzeModel

/// Backups on a cloud whose backups are encrypted with the customer's passphrase (Rackspace,
/// `CloudCapabilities.backupEncryption`): with backup enabled and such a region running databases,
/// `backup.passphrase` must name one (an error under `hipaa`, a warning under `dev`). A cloud that
/// encrypts backups with the pod's key (AWS Backup vaults under its KMS key) needs none.
struct BackupPassphraseRule: ManifestRule {
    func check(_ manifest: PodManifest, _ context: RuleContext) -> [ManifestDiagnostic] {
        // A passphrase written but unusable (inline, kms:) is reported where it is written, once.
        guard context.clean("backup", "regions", "databases", "profile"), manifest.backup.enabled,
              manifest.backup.passphrase == nil, context.locations["backup.passphrase"] == nil else { return [] }
        let regions = manifest.regions.filter { region in
            region.provider.capabilities.backupEncryption == .customerPassphrase
                && manifest.databases.contains { $0.regions.isEmpty || $0.regions.contains(region.name) }
        }
        guard !regions.isEmpty else { return [] }
        let issue = ManifestIssue.missingBackupPassphrase(regions: regions.map { "\($0.name) (\($0.cloudRegion))" })
        return [ManifestDiagnostic(issue, at: context.location("backup"), severity: manifest.profile == .hipaa ? .error : .warning)]
    }
}
