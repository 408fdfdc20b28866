import CatalyzeCore
import Testing
@testable import CatalyzeManifest

/// Backups on Rackspace need the customer's passphrase (`backup.passphrase`), by reference only.
@Suite struct BackupPassphraseRuleTests {
    typealias T = ManifestTesting

    /// `validHipaa` on Rackspace (ORD) with a database group (lines 18-19), then `extra` (from line 20).
    static func rackspace(_ extra: String = "", profile: String = "hipaa") -> String {
        T.validHipaa
            .replacingOccurrences(of: "provider: aws\n    region: us-east-1", with: "provider: rax\n    region: ORD")
            .replacingOccurrences(of: "profile: hipaa", with: "profile: \(profile)")
            + "databases:\n  - { name: db, engine: postgres, storage: { size: 20GiB } }\n" + extra
    }

    static let missing = ManifestIssue.missingBackupPassphrase(regions: ["primary (ORD)"])

    @Test func hipaaOnRackspaceWithoutAPassphraseIsAnErrorAtTheBackupSection() {
        let text = Self.rackspace("backup:\n  interval: 12h\n")
        #expect(T.load(text).diagnostics == [.init(Self.missing, at: SourceLocation(file: "pod.yaml", line: 21, column: 3))])
        #expect(Self.missing.message.contains("backup is missing 'passphrase'") && Self.missing.message.contains("primary (ORD)"))
        #expect(Self.missing.hint?.contains("passphrase: env:NAME") == true && Self.missing.hint?.contains("backup:") == true)
        #expect(Self.missing.code == "missing-backup-passphrase")
    }

    @Test func withoutABackupSectionTheErrorPointsAtTheDocument() {
        #expect(T.load(Self.rackspace()).diagnostics == [.init(Self.missing, at: SourceLocation(file: "pod.yaml", line: 1, column: 1))])
    }

    @Test func devWarns() {
        let result = T.load(Self.rackspace("backup:\n  interval: 12h\n", profile: "dev"))
        #expect(result.errors.isEmpty)
        #expect(result.warnings.contains(.init(Self.missing, at: SourceLocation(file: "pod.yaml", line: 21, column: 3), severity: .warning)))
        #expect(result.manifest != nil)
    }

    @Test func aReferenceSatisfiesIt() throws {
        for (reference, expected) in [
            ("env:ACME_BACKUP_PASSPHRASE", SecretReference.environment("ACME_BACKUP_PASSPHRASE")),
            ("file:secrets/backup.txt", SecretReference.file("secrets/backup.txt")),
        ] {
            let result = T.load(Self.rackspace("backup:\n  passphrase: \(reference)\n"))
            #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.diagnostic))")
            #expect(try #require(result.manifest).backup.passphrase == expected)
        }
    }

    @Test func anInlinePassphraseIsRefusedOnceWhereItIsWritten() {
        let result = T.load(Self.rackspace("backup:\n  interval: 12h\n  passphrase: hunter2-is-my-passphrase\n"))
        #expect(result.diagnostics == [
            .init(.inlineSecret(path: "backup.passphrase"), at: SourceLocation(file: "pod.yaml", line: 22, column: 15)),
        ])
        #expect(!result.diagnostics.map(\.diagnostic.description).joined().contains("hunter2"))
    }

    @Test func aKeyServiceReferenceCannotSealAPassphrase() {
        let result = T.load(Self.rackspace("backup:\n  passphrase: kms:alias/acme\n"))
        #expect(result.diagnostics == [
            .init(.invalidValue(path: "backup.passphrase", value: "kms:alias/acme", expected: "env:NAME or file:PATH"),
                  at: SourceLocation(file: "pod.yaml", line: 21, column: 15)),
        ])
    }

    @Test func awsOnlyRackspaceWithoutDatabasesAndBackupOffNeedNone() {
        let aws = T.validHipaa + "databases:\n  - { name: db, engine: postgres, storage: { size: 20GiB } }\n"
        #expect(T.load(aws).diagnostics.isEmpty, "AWS Backup vaults use the pod's KMS key")
        let noDatabases = Self.rackspace().replacingOccurrences(
            of: "databases:\n  - { name: db, engine: postgres, storage: { size: 20GiB } }\n", with: "")
        #expect(T.load(noDatabases).diagnostics.isEmpty)
        let off = T.load(Self.rackspace("backup:\n  enabled: false\n", profile: "dev"))
        #expect(!off.issues.contains(Self.missing))
    }

    @Test func onlyRackspaceRegionsThatRunDatabasesCount() {
        let text = T.validHipaa.replacingOccurrences(
            of: "    region: us-east-1\n",
            with: "    region: us-east-1\n  - { name: dr, provider: rax, region: DFW, role: dr }\n")
        let awsOnly = text + "databases:\n  - { name: db, engine: postgres, storage: { size: 20GiB }, regions: [primary] }\n"
        #expect(!T.load(awsOnly).issues.contains { if case .missingBackupPassphrase = $0 { true } else { false } })
        let both = text + "databases:\n  - { name: db, engine: postgres, storage: { size: 20GiB } }\n"
        #expect(T.load(both).issues.contains(.missingBackupPassphrase(regions: ["dr (DFW)"])))
    }
}
