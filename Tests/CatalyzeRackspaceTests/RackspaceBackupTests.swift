import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeRackspace
import CatalyzeTestSupport
import Foundation
import Testing

/// backup_plan against mimic: Rackspace Cloud Backup configurations, one per database server.
/// mimic has no Cloud Backup: Tests/Peers/mimic_plugins/catalyze_cloud_backup.py is catalyze's
/// extension (agents per Nova server, backup configurations, as the Cloud Backup API v1.0 reference
/// describes them).
@Suite struct RackspaceBackupTests {
    func request(
        _ harness: RackspaceTestHarness, _ operation: CatalyzeModel.Operation, _ spec: ResourceSpec, token: String,
        prior: CloudResource? = nil, deps: [ResourceAddress: CloudResource] = [:]
    ) -> ApplyRequest {
        ApplyRequest(operation: operation, pod: harness.pod, spec: spec, prior: prior, token: token, dependencies: deps, secrets: .none)
    }

    /// The raw configurations of the tenant in ORD (through the catalog, not the driver).
    func configurations(_ harness: RackspaceTestHarness) async throws -> [[String: Any]] {
        let base = try await harness.mimic.endpoint("cloudBackup", tenant: harness.tenant)
        var found: [[String: Any]] = []
        let agents = try JSONSerialization.jsonObject(
            with: try await EmulatorHTTP.send("GET", base.appendingPathComponent("user/agents")).body) as? [[String: Any]] ?? []
        for agent in agents {
            let id = agent["MachineAgentId"] as? Int ?? 0
            let reply = try await EmulatorHTTP.send("GET", base.appendingPathComponent("backup-configuration/system/\(id)"))
            found += try JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]] ?? []
        }
        return found
    }

    @Test func backupPlanIsOneConfigurationPerDatabaseServer() async throws {
        let harness = try RackspaceTestHarness("backup")
        let host = try await harness.mimic.placeableHostID(tenant: harness.tenant)
        let driver = harness.driver()
        var deps: [ResourceAddress: CloudResource] = [:]
        for name in ["db01", "db02"] {
            let spec = harness.instance(name, host: host, extra: ["role": "db", "port": "5432"])
            let server: CloudResource = try #require(try await harness.create(driver, spec, token: "t-\(name)"))
            deps[spec.address] = server
        }
        let plan = ResourceSpec(
            address: ResourceAddress(region: "primary", kind: .backupPlan, name: "main"), kind: .backupPlan, provider: .rax,
            cloudRegion: "ORD", attributes: [
                "interval": "6", "retention_days": "30", "copy_to": "", "instances": "primary/instance.db01,primary/instance.db02",
            ])
        let first = try #require(try await driver.apply(request(harness, .create, plan, token: "t-backup", deps: deps)).resource)
        let again = try #require(try await driver.apply(request(harness, .create, plan, token: "t-backup", deps: deps)).resource)
        #expect(first.cloudID == again.cloudID, "same token must not create second configurations")
        #expect(first.cloudID.split(separator: ",").count == 2)

        let raw = try await configurations(harness)
        #expect(raw.count == 2)
        for configuration in raw {
            #expect(configuration["Frequency"] as? String == "Hourly" && configuration["HourInterval"] as? Int == 6)
            #expect(configuration["VersionRetention"] as? Int == 30 && configuration["IsActive"] as? Bool == true)
            let name = configuration["ConfigurationName"] as? String ?? ""
            #expect(name.contains("catalyze:address=primary/backup_plan.main") && name.contains("catalyze:op=t-backup"))
            let paths = (configuration["Inclusions"] as? [[String: Any]] ?? []).compactMap { $0["FilePath"] as? String }
            #expect(paths.contains("/var/lib/postgresql"))
        }

        let live = try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")).resources
        let found = try #require(live.first { $0.kind == .backupPlan })
        #expect(found.address == plan.address && found.operationToken == "t-backup" && found.resource.cloudID == first.cloudID)
        #expect(found.resource.attributes["interval"] == "6" && found.resource.attributes["retention_days"] == "30")
        #expect(found.resource.attributes["instances"] == "primary/instance.db01,primary/instance.db02")

        // Weekly, kept forever: an in-place update of the same configurations.
        var weekly = plan
        weekly.attributes["interval"] = "168"
        weekly.attributes["retention_days"] = "0"
        let updated = try #require(try await driver.apply(request(harness, .update, weekly, token: "t-backup", prior: first, deps: deps)).resource)
        #expect(updated.cloudID == first.cloudID)
        let rewritten = try await configurations(harness)
        #expect(rewritten.allSatisfy { $0["Frequency"] as? String == "Weekly" && $0["VersionRetention"] as? Int == 0 })

        _ = try await driver.apply(request(harness, .delete, plan, token: "t-del", prior: updated))
        _ = try await driver.apply(request(harness, .delete, plan, token: "t-del-again", prior: updated))
        #expect(try await configurations(harness).isEmpty)
        let after = try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")).resources
        #expect(!after.contains { $0.kind == .backupPlan })
    }

    @Test func retentionCloudBackupCannotKeepIsRefusedNamingTheAddress() async throws {
        let harness = try RackspaceTestHarness("backup-refuse")
        let host = try await harness.mimic.placeableHostID(tenant: harness.tenant)
        let driver = harness.driver()
        let db = harness.instance("db01", host: host, extra: ["role": "db"])
        let server = try #require(try await harness.create(driver, db, token: "t-db01"))
        let plan = ResourceSpec(
            address: ResourceAddress(region: "primary", kind: .backupPlan, name: "main"), kind: .backupPlan, provider: .rax,
            cloudRegion: "ORD", attributes: ["interval": "24", "retention_days": "7", "copy_to": "", "instances": "primary/instance.db01"])
        do {
            _ = try await driver.apply(request(harness, .create, plan, token: "t-b", deps: [db.address: server]))
            Issue.record("7 days is not a Cloud Backup retention")
        } catch let error as DriverError {
            #expect("\(error)".hasPrefix("primary/backup_plan.main:"), "\(error)")
        }
    }
}
