import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Foundation
import Testing

/// backup_plan against moto: AWS Backup vault, plan and selection. moto 5.2.1 has no backup
/// selections: the emulators run moto through Tests/Peers/run_moto.py, catalyze's extension that
/// adds Create/List/Get/DeleteBackupSelection to moto's backup backend as the AWS Backup API
/// reference specifies them.
@Suite struct AWSDriverBackupTests {
    /// The DR region's plan, then the primary's copying into it; idempotent, refreshed, deleted twice.
    @Test func backupPlanLifecycleWithCopyToTheDRRegion() async throws {
        let moto = try MotoFixture()
        let pod = "bk\(moto.account.suffix(6))"
        var recorded: [ResourceAddress: CloudResource] = [:]
        func create(_ spec: ResourceSpec, token: String) async throws -> CloudResource {
            let resource = try #require(try await moto.apply(.create, spec, pod: pod, token: token, dependencies: recorded))
            recorded[spec.address] = resource
            return resource
        }
        let drKey = try await create(
            moto.spec(.key, "storage", region: "us-west-2", manifestRegion: "dr", ["alias": "catalyze/\(pod)/dr"]), token: "t-dr-key")
        let primaryKey = try await create(
            moto.spec(.key, "storage", ["alias": "catalyze/\(pod)/primary"]), token: "t-key")
        let drPlan = moto.spec(.backupPlan, "main", region: "us-west-2", manifestRegion: "dr", [
            "interval": "24", "retention_days": "30", "key": "dr/key.storage", "copy_to": "", "instances": "",
        ])
        let dr = try await create(drPlan, token: "t-dr-backup")
        #expect(dr.outputs["vault_arn"]?.contains(":us-west-2:") == true)
        let plan = moto.spec(.backupPlan, "main", [
            "interval": "6", "retention_days": "35", "key": "primary/key.storage", "copy_to": "us-west-2",
            "copy_vault": "dr/backup_plan.main", "instances": "primary/instance.db01",
        ])
        let first = try await create(plan, token: "t-backup")
        let again = try await create(plan, token: "t-backup")
        #expect(first.cloudID == again.cloudID, "same token must not create a second plan")
        #expect(first.outputs["selection_id"] == again.outputs["selection_id"], "nor a second selection")

        // What AWS Backup holds: the vault under the pod's key, the rule, the selection by tag.
        let client = moto.driver.client
        let vaults = try await client.rest(.backup, "ListBackupVaults", method: "GET", path: "/backup-vaults/", region: "us-east-1")
        let vault = try #require((vaults["BackupVaultList"] as? [[String: Any]])?.first { $0["BackupVaultName"] as? String == first.outputs["vault_name"] })
        #expect(vault["EncryptionKeyArn"] as? String == primaryKey.outputs["arn"], "encrypted with the pod's own key")
        let detail = try await client.rest(.backup, "GetBackupPlan", method: "GET", path: "/backup/plans/\(first.cloudID)/", region: "us-east-1")
        let rule = try #require(((detail["BackupPlan"] as? [String: Any])?["Rules"] as? [[String: Any]])?.first)
        #expect(rule["ScheduleExpression"] as? String == "cron(0 0/6 * * ? *)")
        #expect((rule["Lifecycle"] as? [String: Any])?["DeleteAfterDays"] as? Int == 35)
        let copy = (rule["CopyActions"] as? [[String: Any]])?.first
        #expect(copy?["DestinationBackupVaultArn"] as? String == dr.outputs["vault_arn"])
        let selections = try await client.rest(
            .backup, "ListBackupSelections", method: "GET", path: "/backup/plans/\(first.cloudID)/selections/", region: "us-east-1")
        #expect((selections["BackupSelectionsList"] as? [[String: Any]])?.count == 1)
        let selection = try await client.rest(
            .backup, "GetBackupSelection", method: "GET",
            path: "/backup/plans/\(first.cloudID)/selections/\(first.outputs["selection_id"] ?? "")", region: "us-east-1")
        let body = try #require(selection["BackupSelection"] as? [String: Any])
        #expect((body["IamRoleArn"] as? String)?.hasSuffix("role/service-role/AWSBackupDefaultServiceRole") == true)
        let condition = ((body["Conditions"] as? [String: Any])?["StringEquals"] as? [[String: Any]])?.first
        #expect(condition?["ConditionKey"] as? String == "aws:ResourceTag/catalyze:pod" && condition?["ConditionValue"] as? String == pod)

        // Refresh reports both plans, with address, token and the attributes read back.
        let live = try await moto.driver.refresh(RefreshRequest(pod: pod, region: "us-east-1")).resources
        let found = try #require(live.first { $0.kind == .backupPlan })
        #expect(found.address == plan.address && found.operationToken == "t-backup" && found.resource.cloudID == first.cloudID)
        #expect(found.resource.attributes["interval"] == "6" && found.resource.attributes["retention_days"] == "35")
        #expect(found.resource.attributes["copy_to"] == "us-west-2" && found.resource.attributes["key"] == "primary/key.storage")
        let drLive = try await moto.driver.refresh(RefreshRequest(pod: pod, region: "us-west-2")).resources
        #expect(drLive.contains { $0.address == drPlan.address && $0.resource.attributes["copy_to"] == "" })

        // Interval and retention change in place: same plan, same vault, new rule.
        var changed = plan
        changed.attributes["interval"] = "12"
        changed.attributes["retention_days"] = "90"
        let updated = try #require(try await moto.apply(.update, changed, pod: pod, token: "t-backup", prior: first, dependencies: recorded))
        #expect(updated.cloudID == first.cloudID && updated.outputs["vault_name"] == first.outputs["vault_name"])
        let rewritten = try await client.rest(.backup, "GetBackupPlan", method: "GET", path: "/backup/plans/\(first.cloudID)/", region: "us-east-1")
        let newRule = try #require(((rewritten["BackupPlan"] as? [String: Any])?["Rules"] as? [[String: Any]])?.first)
        #expect(newRule["ScheduleExpression"] as? String == "cron(0 0/12 * * ? *)")
        #expect((newRule["Lifecycle"] as? [String: Any])?["DeleteAfterDays"] as? Int == 90)
        #expect(((newRule["CopyActions"] as? [[String: Any]])?.first?["Lifecycle"] as? [String: Any])?["DeleteAfterDays"] as? Int == 90)
        let refreshed = try await moto.driver.refresh(RefreshRequest(pod: pod, region: "us-east-1")).resources
        #expect(refreshed.first { $0.kind == .backupPlan }?.resource.attributes["interval"] == "12")

        // Delete (selection, plan, vault), then again: no error, nothing left.
        _ = try await moto.apply(.delete, plan, pod: pod, token: "t-del", prior: updated)
        _ = try await moto.apply(.delete, plan, pod: pod, token: "t-del-again", prior: updated)
        _ = try await moto.apply(.delete, drPlan, pod: pod, token: "t-dr-del", prior: dr)
        let afterPrimary = try await moto.driver.refresh(RefreshRequest(pod: pod, region: "us-east-1")).resources
        let afterDR = try await moto.driver.refresh(RefreshRequest(pod: pod, region: "us-west-2")).resources
        #expect(!afterPrimary.contains { $0.kind == .backupPlan } && !afterDR.contains { $0.kind == .backupPlan })
        let left = try await client.rest(.backup, "ListBackupVaults", method: "GET", path: "/backup-vaults/", region: "us-east-1")
        let names = (left["BackupVaultList"] as? [[String: Any]] ?? []).compactMap { $0["BackupVaultName"] as? String }
        #expect(!names.contains(first.outputs["vault_name"] ?? "?"), "the empty vault is deleted with the plan")

        // The pod applied anew after its destroy: the plan's name is free again (the API refuses
        // only "a plan that already exists"), so the same plan is made with a new id.
        recorded[drPlan.address] = nil
        let remade = try await create(drPlan, token: "t-dr-backup-2")
        #expect(remade.cloudID != dr.cloudID)
        _ = try await moto.apply(.delete, drPlan, pod: pod, token: "t-dr-del-2", prior: remade)
        _ = drKey
    }

    /// The proxy drops every CreateBackupPlan answer after moto made the plan: the driver finds the
    /// plan by its `CreatorRequestId` (the token) instead of making a second one.
    @Test func droppedCreateAnswerConvergesOnOnePlan() async throws {
        let direct = try MotoFixture()
        let proxy = try await FaultProxy.start(upstream: try Emulators.motoURL(), seed: 7)
        defer { proxy.stop() }
        let moto = try MotoFixture(endpoint: proxy.url, account: direct.account, timeout: 20)
        try await proxy.configure(FaultProxy.Configuration(resetAfterRate: 1.0, faultActions: ["PUT /backup/plans/"]))
        let pod = "bkf\(direct.account.suffix(6))"
        let plan = moto.spec(.backupPlan, "main", ["interval": "24", "retention_days": "7", "copy_to": "", "instances": ""])
        let made = try #require(try await moto.apply(.create, plan, pod: pod, token: "t-dropped", dependencies: [:]))
        #expect(try await proxy.stats().count("PUT /backup/plans/", "reset_after_forward") > 0, "the proxy must have dropped an answer")
        let plans = try await direct.driver.client.rest(.backup, "ListBackupPlans", method: "GET", path: "/backup/plans/", region: "us-east-1")
        let ours = (plans["BackupPlansList"] as? [[String: Any]] ?? []).filter { ($0["BackupPlanName"] as? String)?.hasPrefix("cz_\(pod)_") == true }
        #expect(ours.count == 1 && ours.first?["BackupPlanId"] as? String == made.cloudID, "exactly one plan: \(ours.count)")
        _ = try await direct.apply(.delete, plan, pod: pod, token: "t-del", prior: made)
    }

    @Test func scheduleExpressionsRoundTrip() {
        for hours in BackupSchedule.intervals {
            let expression = AWSDriver.scheduleExpression(hours: hours)
            #expect(AWSDriver.intervalHours(scheduleExpression: expression) == hours, "\(expression)")
        }
        #expect(AWSDriver.scheduleExpression(hours: 24) == "cron(0 5 ? * * *)")
    }

    @Test func restCallsAreSignedAndErrorsKeepTheirCode() async throws {
        let (server, env) = try await MotoFixture.withSignatureChecking()
        defer { server.stop() }
        // moto's signature check rejects AWS Backup's GET calls even from boto3 (checked: a moto limit),
        // so the signed REST calls here are PUTs with a JSON body, as CreateBackupVault is.
        let good = try AWSDriver.fromEnvironment(env, transport: CurlTransport())
        let vault = try await good.client.rest(
            .backup, "CreateBackupVault", method: "PUT", path: "/backup-vaults/signed_vault", region: "us-east-1", [:])
        #expect((vault["BackupVaultArn"] as? String)?.hasSuffix(":backup-vault:signed_vault") == true)
        do {
            _ = try await good.client.rest(
                .backup, "CreateBackupVault", method: "PUT", path: "/backup-vaults/signed_vault", region: "us-east-1", [:])
            Issue.record("a second vault of the same name must fail")
        } catch let error as DriverError {
            #expect("\(error)".contains("AlreadyExistsException"), "\(error)")
        }
        var wrong = env
        wrong["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"
        let bad = try AWSDriver.fromEnvironment(wrong, transport: CurlTransport())
        do {
            _ = try await bad.client.rest(
                .backup, "CreateBackupVault", method: "PUT", path: "/backup-vaults/other_vault", region: "us-east-1", [:])
            Issue.record("a wrong secret must be refused")
        } catch let error as DriverError {
            guard case .api(_, _, let status, _, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(status == 401 || status == 403)
        }
    }
}
