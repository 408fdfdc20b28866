import CatalyzeCore

/// Backups on Rackspace are encrypted at rest with the customer's passphrase: with backup enabled
/// and a Rackspace region that runs databases, `backup.passphrase` must name one (an error under
/// `hipaa`, a warning under `dev`). AWS Backup vaults use the pod's KMS key, so an AWS-only pod
/// needs none.
struct BackupPassphraseRule: ManifestRule {
    func check(_ manifest: PodManifest, _ context: RuleContext) -> [ManifestDiagnostic] {
        // A passphrase written but unusable (inline, kms:) is reported where it is written, once.
        guard context.clean("backup", "regions", "databases", "profile"), manifest.backup.enabled,
              manifest.backup.passphrase == nil, context.locations["backup.passphrase"] == nil else { return [] }
        let regions = manifest.regions.filter { region in
            region.provider == .rax
                && manifest.databases.contains { $0.regions.isEmpty || $0.regions.contains(region.name) }
        }
        guard !regions.isEmpty else { return [] }
        let issue = ManifestIssue.missingBackupPassphrase(regions: regions.map { "\($0.name) (\($0.cloudRegion))" })
        return [ManifestDiagnostic(issue, at: context.location("backup"), severity: manifest.profile == .hipaa ? .error : .warning)]
    }
}
