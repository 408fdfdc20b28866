import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// backup_plan: an AWS Backup vault, plan and selection (see `AWSDriver.applyBackupPlan`); read
/// back from the region's plans and vaults (ListBackupPlans, ListBackupVaults; see
/// `refreshBackupPlans`); tagged with AWS Backup TagResource / UntagResource on the plan and its vault.
struct BackupPlanHandler: AWSResourceHandler {
    var kind: ResourceKind { .backupPlan }
    var lists: Set<AWSListCall> { [.backupPlans, .backupVaults] }

    func apply(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource? {
        try await driver.applyBackupPlan(request)
    }

    func read(_ batch: AWSRefreshBatch, into live: inout LiveSet, driver: AWSDriver) async throws {
        live.resources += try await driver.refreshBackupPlans(
            pod: batch.pod, region: batch.region, plans: batch.backupPlans.items, vaults: batch.backupVaults.items,
            keyAddresses: live.addresses)
    }

    func tag(_ request: TagRequest, driver: AWSDriver) async throws -> TagResponse {
        let region = request.region
        let resource = request.resource
        let set = request.set.sorted { $0.key < $1.key }
        let arns = [resource.outputs["plan_arn"], resource.outputs["vault_arn"]].compactMap { $0 }.filter { !$0.isEmpty }
        for arn in arns {
            // AWS Backup API reference: TagResource `POST /tags/{resourceArn}` {"Tags": {…}},
            // UntagResource `POST /untag/{resourceArn}` {"TagKeyList": […]}.
            if !set.isEmpty {
                _ = try await driver.client.rest(
                    .backup, "TagResource", method: "POST", path: "/tags/\(AWSClient.label(arn))", region: region,
                    ["Tags": Dictionary(uniqueKeysWithValues: set.map { ($0.key, $0.value) })])
            }
            if !request.remove.isEmpty {
                _ = try await driver.client.rest(
                    .backup, "UntagResource", method: "POST", path: "/untag/\(AWSClient.label(arn))", region: region,
                    ["TagKeyList": request.remove.sorted()])
            }
        }
        return TagResponse(objects: arns.count)
    }
}

/// backup_plan on AWS: AWS Backup (REST-JSON) in the region of the pod's database volumes.
///
/// - a backup vault `cz_<pod>_<7 hex of the token>`, encrypted with the pod's KMS key (`key`), tagged
///   `catalyze:pod`, `catalyze:address`, `catalyze:op`;
/// - a backup plan `cz_<pod>_<7 hex>` (`CreatorRequestId` = the token) with one rule `cz_<region>`:
///   `ScheduleExpression` from `interval`, `Lifecycle.DeleteAfterDays` = `retention_days`, and, when
///   `copy_to` is set, a copy action into the vault of `copy_vault` (the backup region's plan);
/// - a backup selection `cz_<pod>_volumes`: the EBS volumes tagged `catalyze:pod` = pod (the
///   database volumes: the only volumes a pod has), assumed by AWS Backup's default service role
///   `service-role/AWSBackupDefaultServiceRole`, which is made (once per account) when missing.
///
/// cloudID = the plan id; outputs `plan_arn`, `vault_name`, `vault_arn`, `selection_id`.
/// Update rewrites the rule in place (UpdateBackupPlan); only a new key needs a new vault (a vault's
/// key cannot change), so only `key` replaces the plan. Delete removes the selection, the plan and then the vault — unless the vault still holds recovery
/// points (AWS refuses: `InvalidRequestException`): then the vault and its recovery points stay, each
/// deleted by AWS when its `DeleteAfterDays` runs out. Underscores separate the name's parts because
/// pod and region names cannot contain one.
extension AWSDriver {
    /// The role AWS Backup assumes to back up the selected volumes (AWS's own default name).
    static let backupRoleName = "AWSBackupDefaultServiceRole"
    /// The AWS-managed policy that role carries.
    static let backupRolePolicy = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"

    /// Creates, updates (everything but `key` changes in place) or deletes a backup_plan.
    func applyBackupPlan(_ request: ApplyRequest) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create:
            let spec = try Self.typed(BackupPlanSpec.self, request)
            let plan = try await createOnce(
                lookup: { try await findBackupPlan(request: request, region: region) },
                create: { try await createBackupPlan(request, spec, region: region) })
            let selection = try await ensureBackupSelection(planID: plan.cloudID, pod: request.pod, region: region)
            var resource = plan
            resource.outputs["selection_id"] = selection
            resource.attributes = Self.backupAttributes(spec)
            return resource
        case .update:
            // UpdateBackupPlan rewrites the rule (schedule, retention, copy); the vault and the
            // selection (by tag: it covers new volumes already) stay.
            let spec = try Self.typed(BackupPlanSpec.self, request)
            guard var resource = request.prior else { return nil }
            let name = Self.backupName(pod: request.pod, token: request.token)
            let detail = try await client.rest(
                .backup, "GetBackupPlan", method: "GET", path: "/backup/plans/\(AWSClient.label(resource.cloudID))/", region: region)
            let plan = detail["BackupPlan"] as? [String: Any] ?? [:]
            let current = (plan["Rules"] as? [[String: Any]])?.first
            let vault = current?["TargetBackupVaultName"] as? String ?? resource.outputs["vault_name"] ?? name
            let rule = try backupRule(request, spec, vaultName: vault)
            _ = try await client.rest(
                .backup, "UpdateBackupPlan", method: "POST", path: "/backup/plans/\(AWSClient.label(resource.cloudID))", region: region,
                ["BackupPlan": ["BackupPlanName": plan["BackupPlanName"] as? String ?? name, "Rules": [rule]]])
            resource.attributes = Self.backupAttributes(spec)
            return resource
        case .delete:
            guard let prior = request.prior else { return nil }
            try await deleteBackupPlan(prior, region: region)
            return nil
        }
    }

    /// The attributes a plan reports: the spec without what only Rackspace's agents have (a
    /// passphrase, whether their vaults are encrypted: AWS Backup vaults are encrypted with `key`).
    static func backupAttributes(_ spec: BackupPlanSpec) -> [String: String] {
        var recorded = spec
        recorded.passphrase = nil
        recorded.encrypted = nil
        return recorded.attributes
    }

    /// `CreatorRequestId` for a token: itself when it fits (1–50 of `A-Za-z0-9-_.`), else a hash.
    static func creatorRequestID(_ token: String) -> String {
        let allowed = token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        if allowed, (1...50).contains(token.count) { return token }
        return "cz-" + String(SigV4Signer.hexSHA256(Data(token.utf8)).prefix(40))
    }

    /// `cz_<pod>_<7 hex of the token>`: the name of the plan and of the vault one create makes.
    static func backupName(pod: String, token: String) -> String {
        "cz_\(pod)_" + String(SigV4Signer.hexSHA256(Data(token.utf8)).prefix(7))
    }

    /// An AWS Backup cron expression (UTC) for an interval in hours (see `BackupSchedule.intervals`).
    public static func scheduleExpression(hours: Int) -> String {
        switch hours {
        case ..<24: "cron(0 0/\(max(1, hours)) * * ? *)"
        case 24..<168: "cron(0 5 ? * * *)"
        default: "cron(0 5 ? * SUN *)"
        }
    }

    /// The interval in hours of a cron expression `scheduleExpression` wrote (nil for another form).
    public static func intervalHours(scheduleExpression: String) -> Int? {
        guard scheduleExpression.hasPrefix("cron("), scheduleExpression.hasSuffix(")") else { return nil }
        let fields = scheduleExpression.dropFirst(5).dropLast().split(separator: " ").map(String.init)
        guard fields.count == 6 else { return nil }
        if fields[1] == "*" { return 1 }
        if fields[1].hasPrefix("0/") { return Int(fields[1].dropFirst(2)) }
        return ["*", "?"].contains(fields[4]) ? 24 : 168
    }

    /// The plan made by this request's token, if any (ListBackupPlans, by `CreatorRequestId`).
    func findBackupPlan(request: ApplyRequest, region: String) async throws -> CloudResource? {
        let creator = Self.creatorRequestID(request.token)
        for plan in try await listBackupPlans(region: region)
        where plan["CreatorRequestId"] as? String == creator && plan["DeletionDate"] == nil {
            guard let id = plan["BackupPlanId"] as? String else { continue }
            let detail = try await client.rest(
                .backup, "GetBackupPlan", method: "GET", path: "/backup/plans/\(AWSClient.label(id))/", region: region)
            let rule = ((detail["BackupPlan"] as? [String: Any])?["Rules"] as? [[String: Any]])?.first ?? [:]
            let vault = rule["TargetBackupVaultName"] as? String ?? ""
            let vaultARN = try await describeVaultARN(vault, region: region)
            return CloudResource(cloudID: id, outputs: [
                "plan_arn": plan["BackupPlanArn"] as? String ?? "", "vault_name": vault, "vault_arn": vaultARN,
            ])
        }
        return nil
    }

    /// Every backup plan of the region (not deleted), following `NextToken`.
    func listBackupPlans(region: String) async throws -> [[String: Any]] {
        var plans: [[String: Any]] = []
        var next: String?
        for _ in 0..<100 {
            var query: [String: String] = [:]
            if let next { query["nextToken"] = next }
            let reply = try await client.rest(.backup, "ListBackupPlans", method: "GET", path: "/backup/plans/", query: query, region: region)
            plans += reply["BackupPlansList"] as? [[String: Any]] ?? []
            next = (reply["NextToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            if next == nil { break }
        }
        return plans
    }

    /// Every backup vault of the region, following `NextToken`.
    func listBackupVaults(region: String) async throws -> [[String: Any]] {
        var vaults: [[String: Any]] = []
        var next: String?
        for _ in 0..<100 {
            var query: [String: String] = [:]
            if let next { query["nextToken"] = next }
            let reply = try await client.rest(.backup, "ListBackupVaults", method: "GET", path: "/backup-vaults/", query: query, region: region)
            vaults += reply["BackupVaultList"] as? [[String: Any]] ?? []
            next = (reply["NextToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            if next == nil { break }
        }
        return vaults
    }

    /// The ARN of the vault `name` (DescribeBackupVault); empty for an empty name.
    func describeVaultARN(_ name: String, region: String) async throws -> String {
        guard !name.isEmpty else { return "" }
        let reply = try await client.rest(
            .backup, "DescribeBackupVault", method: "GET", path: "/backup-vaults/\(AWSClient.label(name))", region: region)
        return reply["BackupVaultArn"] as? String ?? ""
    }

    /// Makes the vault (or finds it: same name = same token), the role, and the plan.
    func createBackupPlan(_ request: ApplyRequest, _ spec: BackupPlanSpec, region: String) async throws -> CloudResource {
        let name = Self.backupName(pod: request.pod, token: request.token)
        let creator = Self.creatorRequestID(request.token)
        let tags = Dictionary(uniqueKeysWithValues: Self.tags(request).filter { $0.0 != "Name" })
        var vault: [String: Any] = ["BackupVaultTags": tags, "CreatorRequestId": creator]
        if let address = spec.key {
            let key = try request.dependency(at: address)
            vault["EncryptionKeyArn"] = key.outputs["arn"] ?? key.cloudID
        }
        var vaultARN: String
        do {
            let reply = try await client.rest(
                .backup, "CreateBackupVault", method: "PUT", path: "/backup-vaults/\(AWSClient.label(name))", region: region, vault)
            vaultARN = reply["BackupVaultArn"] as? String ?? ""
        } catch let error as DriverError where error.awsCode == "AlreadyExistsException" {
            vaultARN = try await describeVaultARN(name, region: region)
        }

        let rule = try backupRule(request, spec, vaultName: name)
        let reply = try await client.rest(
            .backup, "CreateBackupPlan", method: "PUT", path: "/backup/plans/", region: region,
            ["BackupPlan": ["BackupPlanName": name, "Rules": [rule]], "BackupPlanTags": tags, "CreatorRequestId": creator],
            idempotent: false)
        guard let id = reply["BackupPlanId"] as? String else {
            throw DriverError.malformedResponse(service: "backup", action: "CreateBackupPlan", detail: "no BackupPlanId")
        }
        return CloudResource(cloudID: id, outputs: [
            "plan_arn": reply["BackupPlanArn"] as? String ?? "", "vault_name": name, "vault_arn": vaultARN,
        ])
    }

    /// The plan's one rule: `cz_<region>`, into `vaultName`, on the schedule of `interval`, kept
    /// `retention_days`, copied to the `copy_vault` plan's vault when `copy_to` is set.
    func backupRule(_ request: ApplyRequest, _ spec: BackupPlanSpec, vaultName: String) throws -> [String: Any] {
        let (hours, days) = (spec.intervalHours, spec.retentionDays)
        var rule: [String: Any] = [
            "RuleName": "cz_\(request.spec.address.region)", "TargetBackupVaultName": vaultName,
            "ScheduleExpression": Self.scheduleExpression(hours: hours), "StartWindowMinutes": 60,
            "CompletionWindowMinutes": 1_440, "RecoveryPointTags": [CatalyzeTag.pod: request.pod],
        ]
        if days > 0 { rule["Lifecycle"] = ["DeleteAfterDays": days] }
        if !spec.copyTo.isEmpty {
            guard let copyVault = spec.copyVault else {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "attribute 'copy_vault' is required when 'copy_to' is set")
            }
            let target = try request.dependency(at: copyVault)
            guard let arn = target.outputs["vault_arn"], !arn.isEmpty else {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "the backup region's plan records no vault_arn")
            }
            var copy: [String: Any] = ["DestinationBackupVaultArn": arn]
            if days > 0 { copy["Lifecycle"] = ["DeleteAfterDays": days] }
            rule["CopyActions"] = [copy]
        }
        return rule
    }

    /// The selection `cz_<pod>_volumes` of a plan (made when missing); returns its id.
    func ensureBackupSelection(planID: String, pod: String, region: String) async throws -> String {
        let name = "cz_\(pod)_volumes"
        let path = "/backup/plans/\(AWSClient.label(planID))/selections/"
        let list = try await client.rest(.backup, "ListBackupSelections", method: "GET", path: path, region: region)
        for selection in list["BackupSelectionsList"] as? [[String: Any]] ?? [] where selection["SelectionName"] as? String == name {
            if let id = selection["SelectionId"] as? String { return id }
        }
        let role = try await ensureBackupRole()
        let body: [String: Any] = [
            "BackupSelection": [
                "SelectionName": name, "IamRoleArn": role, "Resources": ["arn:aws:ec2:*:*:volume/*"],
                "Conditions": ["StringEquals": [["ConditionKey": "aws:ResourceTag/\(CatalyzeTag.pod)", "ConditionValue": pod]]],
            ],
            "CreatorRequestId": "cz-sel-" + String(SigV4Signer.hexSHA256(Data(planID.utf8)).prefix(16)),
        ]
        // A role IAM has just made may not be assumable by AWS Backup for a few seconds (IAM is
        // eventually consistent): AWS then refuses the role; try again, as for NotFound after a create.
        var attempt = 0
        var reply: [String: Any]
        while true {
            do {
                reply = try await client.rest(.backup, "CreateBackupSelection", method: "PUT", path: path, region: region, body)
                break
            } catch let error as DriverError where Self.isRoleNotReady(error) && attempt + 1 < client.configuration.consistencyAttempts {
                attempt += 1
                try await client.pause(attempt: attempt, throttled: false)
            }
        }
        guard let id = reply["SelectionId"] as? String else {
            throw DriverError.malformedResponse(service: "backup", action: "CreateBackupSelection", detail: "no SelectionId")
        }
        return id
    }

    /// True when AWS Backup refused a selection's role (the answer while a new role propagates).
    static func isRoleNotReady(_ error: DriverError) -> Bool {
        guard case .api(_, _, _, let code, let message) = error else { return false }
        return ["InvalidParameterValueException", "InvalidRequestException"].contains(code)
            && message.lowercased().contains("role")
    }

    /// The ARN of AWS Backup's default service role, made with its managed policy when missing.
    func ensureBackupRole() async throws -> String {
        do {
            let reply = try await client.query(.iam, "GetRole", region: "us-east-1", ["RoleName": Self.backupRoleName])
            if let arn = reply.descendants("Arn").first?.text { return arn }
        } catch let error as DriverError where error.awsCode == "NoSuchEntity" {}
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"backup.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        var arn: String
        do {
            let reply = try await client.query(.iam, "CreateRole", region: "us-east-1", [
                "RoleName": Self.backupRoleName, "Path": "/service-role/", "AssumeRolePolicyDocument": trust,
            ])
            arn = reply.descendants("Arn").first?.text ?? ""
        } catch let error as DriverError where error.awsCode == "EntityAlreadyExists" {
            let reply = try await client.query(.iam, "GetRole", region: "us-east-1", ["RoleName": Self.backupRoleName])
            arn = reply.descendants("Arn").first?.text ?? ""
        }
        _ = try await client.query(.iam, "AttachRolePolicy", region: "us-east-1", [
            "RoleName": Self.backupRoleName, "PolicyArn": Self.backupRolePolicy,
        ])
        return arn
    }

    /// Deletes the plan's selections, the plan, then its vault (kept while it holds recovery points).
    func deleteBackupPlan(_ prior: CloudResource, region: String) async throws {
        let id = AWSClient.label(prior.cloudID)
        // An empty id: a half-made plan (its vault only, see `halfMadeBackupPlans`).
        if !prior.cloudID.isEmpty { do {
            let list = try await client.rest(.backup, "ListBackupSelections", method: "GET", path: "/backup/plans/\(id)/selections/", region: region)
            for selection in list["BackupSelectionsList"] as? [[String: Any]] ?? [] {
                guard let selectionID = selection["SelectionId"] as? String else { continue }
                try await deleteIgnoringMissing {
                    _ = try await client.rest(
                        .backup, "DeleteBackupSelection", method: "DELETE",
                        path: "/backup/plans/\(id)/selections/\(AWSClient.label(selectionID))", region: region)
                }
            }
            _ = try await client.rest(.backup, "DeleteBackupPlan", method: "DELETE", path: "/backup/plans/\(id)", region: region)
        } catch let error as DriverError where error.isNotFound {} }
        guard let vault = prior.outputs["vault_name"], !vault.isEmpty else { return }
        do {
            _ = try await client.rest(.backup, "DeleteBackupVault", method: "DELETE", path: "/backup-vaults/\(AWSClient.label(vault))", region: region)
        } catch let error as DriverError where error.isNotFound || error.awsCode == "InvalidRequestException" {
            // Gone already, or still holding recovery points: AWS deletes those when their lifecycle ends.
        }
    }

    /// The pod's backup plans in one region, from the region's ListBackupPlans (plans named
    /// `cz_<pod>_…`) and ListBackupVaults: for each plan of the pod GetBackupPlan and ListTags, and
    /// ListTags per vault of a plan never made (`halfMadeBackupPlans`).
    /// `keyAddresses` maps KMS key ids (as refresh found them) to their addresses.
    func refreshBackupPlans(
        pod: String, region: String, plans allPlans: [[String: Any]], vaults: [[String: Any]], keyAddresses: [String: ResourceAddress]
    ) async throws -> [LiveResource] {
        let prefix = "cz_\(pod)_"
        let plans = allPlans.filter {
            ($0["BackupPlanName"] as? String)?.hasPrefix(prefix) == true && $0["DeletionDate"] == nil
        }
        var found: [LiveResource] = []
        let planNames = Set(plans.compactMap { $0["BackupPlanName"] as? String })
        found += try await halfMadeBackupPlans(
            vaults.filter { ($0["BackupVaultName"] as? String).map { $0.hasPrefix(prefix) && !planNames.contains($0) } == true },
            pod: pod, region: region)
        for plan in plans {
            guard let id = plan["BackupPlanId"] as? String else { continue }
            let detail: [String: Any]
            do {
                detail = try await client.rest(.backup, "GetBackupPlan", method: "GET", path: "/backup/plans/\(AWSClient.label(id))/", region: region)
            } catch let error as DriverError where error.isNotFound { continue }
            guard let rule = ((detail["BackupPlan"] as? [String: Any])?["Rules"] as? [[String: Any]])?.first,
                  let ruleName = rule["RuleName"] as? String, ruleName.hasPrefix("cz_")
            else { continue }
            let address = ResourceAddress(region: String(ruleName.dropFirst(3)), kind: .backupPlan, name: "main")
            let vaultName = rule["TargetBackupVaultName"] as? String ?? ""
            let vault = vaults.first { $0["BackupVaultName"] as? String == vaultName }
            var attributes = ["copy_to": ""]
            if let expression = rule["ScheduleExpression"] as? String, let hours = Self.intervalHours(scheduleExpression: expression) {
                attributes["interval"] = "\(hours)"
            }
            let lifecycle = rule["Lifecycle"] as? [String: Any]
            attributes["retention_days"] = "\((lifecycle?["DeleteAfterDays"] as? Int) ?? 0)"
            if let keyARN = vault?["EncryptionKeyArn"] as? String, !keyARN.isEmpty {
                let keyID = String(keyARN.split(separator: "/").last ?? "")
                attributes["key"] = (keyAddresses[keyARN] ?? keyAddresses[keyID])?.description ?? keyARN
            }
            if let copy = (rule["CopyActions"] as? [[String: Any]])?.first, let arn = copy["DestinationBackupVaultArn"] as? String {
                let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
                attributes["copy_to"] = parts.count > 3 ? String(parts[3]) : ""
            }
            let outputs = [
                "plan_arn": plan["BackupPlanArn"] as? String ?? "", "vault_name": vaultName,
                "vault_arn": vault?["BackupVaultArn"] as? String ?? "",
            ]
            // The plan's lineage: one ListTags call for the pod's plan (its tags are not in the list).
            let tags = try await backupTags(outputs["plan_arn"] ?? "", region: region)
            found.append(LiveResource(
                address: address, kind: .backupPlan, resource: CloudResource(cloudID: id, attributes: attributes, outputs: outputs),
                operationToken: plan["CreatorRequestId"] as? String).carrying(tags))
        }
        return found
    }

    /// Vaults of a plan never made (`apply` killed between CreateBackupVault and CreateBackupPlan;
    /// the plan and its vault share the name `cz_<pod>_<7 hex>`), reported under their vault's
    /// `catalyze:address` tag (ListTags, one call per such vault) with an empty cloud id: the
    /// resumed create reuses the vault, and a delete removes it.
    func halfMadeBackupPlans(_ vaults: [[String: Any]], pod: String, region: String) async throws -> [LiveResource] {
        var found: [LiveResource] = []
        for vault in vaults {
            guard let name = vault["BackupVaultName"] as? String, let arn = vault["BackupVaultArn"] as? String else { continue }
            let reply: [String: Any]
            do {
                reply = try await client.rest(.backup, "ListTags", method: "GET", path: "/tags/\(AWSClient.label(arn))/", region: region)
            } catch let error as DriverError where error.isNotFound { continue }
            let tags = reply["Tags"] as? [String: String] ?? [:]
            guard tags[CatalyzeTag.pod] == pod, let address = tags[CatalyzeTag.address].flatMap(ResourceAddress.init(parsing:)) else { continue }
            found.append(LiveResource(
                address: address, kind: .backupPlan,
                resource: CloudResource(cloudID: "", attributes: ["copy_to": ""], outputs: ["vault_name": name, "vault_arn": arn]),
                operationToken: tags[CatalyzeTag.operation]).carrying(tags))
        }
        return found
    }
}

extension AWSDriver {
    /// The tags of an AWS Backup resource (ListTags `GET /tags/{resourceArn}/`); empty when it cannot be read.
    func backupTags(_ arn: String, region: String) async throws -> [String: String] {
        guard !arn.isEmpty else { return [:] }
        let reply = try await client.rest(.backup, "ListTags", method: "GET", path: "/tags/\(AWSClient.label(arn))/", region: region)
        return reply["Tags"] as? [String: String] ?? [:]
    }
}
