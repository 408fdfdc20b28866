import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState
import Foundation
import Testing

/// `backup_plan` in the desired state: where there is one, what it copies where, and how the
/// manifest's interval and retention become values each cloud can schedule.
@Suite struct BackupPlanDesiredStateTests {
    static func backupPlans(_ manifest: PodManifest) -> [String: ResourceSpec] {
        let specs = PlannerTests.desired(manifest).filter { $0.kind == .backupPlan }
        return Dictionary(specs.map { ($0.address.description, $0) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func hipaaAWSBacksUpBothRegionsAndCopiesThePrimaryToDR() throws {
        let plans = Self.backupPlans(try PlannerTests.manifest())
        #expect(plans.keys.sorted() == ["dr/backup_plan.main", "primary/backup_plan.main"])
        let primary = try #require(plans["primary/backup_plan.main"])
        #expect(primary.provider == .aws && primary.cloudRegion == "us-east-1")
        #expect(primary.attributes["interval"] == "24" && primary.attributes["retention_days"] == "30")
        #expect(primary.attributes["key"] == "primary/key.storage")
        #expect(primary.attributes["copy_to"] == "us-west-2" && primary.attributes["copy_vault"] == "dr/backup_plan.main")
        #expect(primary.attributes["instances"] == nil, "AWS Backup selects the volumes by tag: no instance to wait for")
        #expect(primary.dependencies.map(\.description) == ["dr/backup_plan.main", "primary/key.storage"])
        let dr = try #require(plans["dr/backup_plan.main"])
        #expect(dr.attributes["copy_to"] == "" && dr.attributes["copy_vault"] == nil, "the backup region keeps its own")
    }

    @Test func crossCloudPodBacksUpEachRegionOnItsOwnCloud() throws {
        let plans = Self.backupPlans(try PlannerTests.manifest("dr-cross-cloud.yaml"))
        #expect(plans.keys.sorted() == ["dr/backup_plan.main", "primary/backup_plan.main"])
        let primary = try #require(plans["primary/backup_plan.main"])
        #expect(primary.provider == .rax && primary.attributes["copy_to"] == "", "no copy across clouds")
        #expect(primary.attributes["retention_days"] == "30", "Rackspace keeps 30, 60 or 0 (forever) days")
        #expect(primary.attributes["instances"] == "primary/instance.db01,primary/instance.db02", "one agent per database server")
        #expect(primary.dependencies.map(\.description).contains("primary/instance.db01"))
        // Cloud Backup vaults are encrypted with the customer's passphrase: the plan holds the reference only.
        #expect(primary.attributes["passphrase"] == "env:ACME_BACKUP_PASSPHRASE" && primary.attributes["encrypted"] == "true")
        let dr = try #require(plans["dr/backup_plan.main"])
        #expect(dr.attributes["passphrase"] == nil && dr.attributes["encrypted"] == nil, "AWS Backup uses the pod's KMS key")
    }

    @Test func aRackspacePlanWithoutAPassphraseCarriesNone() throws {
        var manifest = try PlannerTests.manifest("dr-cross-cloud.yaml")
        manifest.backup.passphrase = nil
        let primary = try #require(Self.backupPlans(manifest)["primary/backup_plan.main"])
        #expect(primary.attributes["passphrase"] == nil && primary.attributes["encrypted"] == nil)
    }

    @Test func anUnencryptedVaultIsDriftThatAnUpdateRepairs() throws {
        let manifest = try PlannerTests.manifest("dr-cross-cloud.yaml")
        let desired = PlannerTests.desired(manifest)
        let lockfile = PlannerTests.lockfile(recording: desired, pod: manifest.pod.name)
        var live = PlannerTests.live(lockfile)
        let index = try #require(live.firstIndex { $0.address.description == "primary/backup_plan.main" })
        live[index].resource.attributes["encrypted"] = "false"
        live[index].resource.attributes["passphrase"] = nil  // refresh cannot read the reference back
        let plan = Planner.plan(PlannerTests.input(manifest, desired: desired, lockfile: lockfile, live: live))
        let change = try #require(plan.changes.first { $0.address.description == "primary/backup_plan.main" })
        #expect(change.action == .update && change.reason == "encrypted changed", "\(change.action): \(change.reason)")
        #expect(plan.drift.contains { $0.address.description == "primary/backup_plan.main" && $0.kind == "modified" })
    }

    @Test func movingADatabaseServerUpdatesThePlanInPlace() throws {
        // On Rackspace, where the plan configures each database server (the cross-cloud primary).
        let crossCloud = try PlannerTests.manifest("dr-cross-cloud.yaml")
        let serversDesired = PlannerTests.desired(crossCloud)
        let serversLockfile = PlannerTests.lockfile(recording: serversDesired, pod: crossCloud.pod.name)
        var moved = serversDesired
        let index = try #require(moved.firstIndex { $0.address.description == "primary/instance.db01" })
        moved[index].attributes["host"] = "h-elsewhere"
        let plan = Planner.plan(PlannerTests.input(
            crossCloud, desired: moved, lockfile: serversLockfile, live: PlannerTests.live(serversLockfile)))
        let change = try #require(plan.changes.first { $0.address.description == "primary/backup_plan.main" })
        #expect(change.action == .update, "the plan follows its database server: \(change.action)")
        #expect(change.reason == "primary/instance.db01 is being replaced")
        let manifest = try PlannerTests.manifest()
        let desired = PlannerTests.desired(manifest)
        let lockfile = PlannerTests.lockfile(recording: desired, pod: manifest.pod.name)
        let key = try #require(desired.firstIndex { $0.address.description == "primary/key.storage" })
        var rekeyed = desired
        rekeyed[key].attributes["customer_key"] = "arn:aws:kms:us-east-1:123456789012:key/other"
        let replan = Planner.plan(PlannerTests.input(manifest, desired: rekeyed, lockfile: lockfile, live: PlannerTests.live(lockfile)))
        #expect(replan.changes.first { $0.address.description == "primary/backup_plan.main" }?.action == .replace,
                "a new key means a new vault: the plan is replaced")
    }

    @Test func backupRegionWithoutDatabasesStillHoldsTheCopies() throws {
        var manifest = try PlannerTests.manifest()
        for index in manifest.databases.indices { manifest.databases[index].regions = ["primary"] }
        let plans = Self.backupPlans(manifest)
        #expect(plans.keys.sorted() == ["dr/backup_plan.main", "primary/backup_plan.main"], "dr keeps a vault for the copies")
        #expect(plans["dr/backup_plan.main"]?.dependencies.map(\.description) == ["dr/key.storage"], "a vault for the copies, no server")
        #expect(plans["primary/backup_plan.main"]?.attributes["copy_vault"] == "dr/backup_plan.main")
        manifest.backup.region = "primary"
        #expect(Self.backupPlans(manifest).keys.sorted() == ["primary/backup_plan.main"], "no copies, no DR plan")
    }

    @Test func disabledBackupDeploysNothing() throws {
        #expect(Self.backupPlans(try PlannerTests.manifest("dev-rax.yaml")).isEmpty)
    }

    @Test func intervalRoundsDownAndRetentionUp() {
        #expect(BackupSchedule.intervalHours(seconds: 1_800) == 1)
        #expect(BackupSchedule.intervalHours(seconds: 5 * 3_600) == 4)
        #expect(BackupSchedule.intervalHours(seconds: 24 * 3_600) == 24)
        #expect(BackupSchedule.intervalHours(seconds: 72 * 3_600) == 24)
        #expect(BackupSchedule.intervalHours(seconds: 30 * 86_400) == 168)
        #expect(BackupSchedule.retentionDays(seconds: 36 * 3_600, provider: .aws) == 2)
        #expect(BackupSchedule.retentionDays(seconds: 7 * 86_400, provider: .rax) == 30)
        #expect(BackupSchedule.retentionDays(seconds: 45 * 86_400, provider: .rax) == 60)
        #expect(BackupSchedule.retentionDays(seconds: 90 * 86_400, provider: .rax) == 0)
    }
}
