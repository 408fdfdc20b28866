import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// key: a KMS key with the pod's alias, or the customer's own key adopted (see
/// `AWSDriver.applyKey`); read back from the region's aliases and their keys' tags (`refreshKeys`);
/// tagged with KMS TagResource / UntagResource.
struct KeyHandler: AWSResourceHandler {
    var kind: ResourceKind { .key }
    var lists: Set<AWSListCall> { [.keys] }

    func apply(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource? {
        try await driver.applyKey(request)
    }

    /// Each key under its id and its `key_id`, so that volumes and backup vaults find its address.
    func read(_ batch: AWSRefreshBatch, into live: inout LiveSet, driver: AWSDriver) async throws {
        for key in batch.keys {
            live.add(key.address, .key, key.resource, key.tags, id: key.resource.cloudID, alias: key.resource.outputs["key_id"])
        }
    }

    func tag(_ request: TagRequest, driver: AWSDriver) async throws -> TagResponse {
        let region = request.region
        let resource = request.resource
        let set = request.set.sorted { $0.key < $1.key }
        if !set.isEmpty {
            _ = try await driver.client.json(.kms, "TagResource", region: region, [
                "KeyId": resource.cloudID, "Tags": set.map { ["TagKey": $0.key, "TagValue": $0.value] },
            ])
        }
        if !request.remove.isEmpty {
            _ = try await driver.client.json(
                .kms, "UntagResource", region: region, ["KeyId": resource.cloudID, "TagKeys": request.remove.sorted()])
        }
        return TagResponse(objects: 1)
    }
}

extension AWSDriver {
    /// key: a customer-managed symmetric KMS key per pod with alias `alias/<alias>`, tagged like
    /// everything else. With `customer_key` set, the customer's existing key is verified (must be
    /// enabled), tagged and aliased instead — and never scheduled for deletion.
    /// cloudID = key id; outputs `key_id`, `arn`, `adopted`.
    func applyKey(_ request: ApplyRequest) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create:
            let spec = try Self.typed(KeySpec.self, request)
            let alias = "alias/" + spec.alias
            let customer = spec.customerKey
            var attributes = ["alias": String(alias.dropFirst(6))]
            if let customer { attributes["customer_key"] = customer }
            if spec.encryptionByDefault {
                try await switchOnEncryptionByDefault(region: region)
                attributes["encryption_by_default"] = "true"
            }
            if let customer {
                let metadata = try await describeKey(customer, region: region)
                guard metadata.enabled else {
                    throw DriverError.failedState(address: request.spec.address, state: metadata.state, detail: "customer key \(customer) is not enabled")
                }
                try await tagKey(metadata.keyID, request: request, extra: ["catalyze:adopted": "true"], region: region)
                try await pointAlias(alias, at: metadata.keyID, region: region)
                let grant = try await grantOnCustomerKey(metadata, request: request, region: region)
                return CloudResource(
                    cloudID: metadata.keyID, attributes: attributes,
                    outputs: ["key_id": metadata.keyID, "arn": metadata.arn, "adopted": "true", "grant_id": grant])
            }
            var lookups = 0
            let key = try await createOnce(
                firstUse: request.firstUse,
                lookup: {
                    lookups += 1
                    return try await findKey(request: request, alias: alias, scanAll: lookups > 1 || request.firstUse, region: region)
                },
                create: {
                    let tags = Self.tags(request).map { ["TagKey": $0.0, "TagValue": $0.1] }
                    var payload: [String: Any] = [
                        "Description": "catalyze \(request.pod) \(request.spec.address)", "KeyUsage": "ENCRYPT_DECRYPT",
                        "KeySpec": "SYMMETRIC_DEFAULT", "Tags": tags,
                    ]
                    if spec.explicitPolicy { payload["Policy"] = try await keyPolicy(spec, region: region).document }
                    let reply = try await client.json(.kms, "CreateKey", region: region, payload, idempotent: false)
                    let metadata = reply["KeyMetadata"] as? [String: Any] ?? [:]
                    return CloudResource(cloudID: metadata["KeyId"] as? String ?? "", outputs: ["arn": metadata["Arn"] as? String ?? ""])
                })
            try await pointAlias(alias, at: key.cloudID, region: region)
            if spec.explicitPolicy {
                // A key found by its tag after an interrupted create may predate the policy's
                // current form: put it again (PutKeyPolicy is idempotent).
                if !request.firstUse { try await putKeyPolicy(spec, keyID: key.cloudID, region: region) }
                attributes["policy"] = "explicit"
                attributes["administrators"] = spec.administrators.joined(separator: ",")
            }
            return CloudResource(cloudID: key.cloudID, attributes: attributes, outputs: ["key_id": key.cloudID, "arn": key.outputs["arn"] ?? "", "adopted": "false"])
        case .update:
            // Every other key that can differ replaces the key (`alias`, `customer_key`) or is
            // Rackspace's (`volume_type`); a spec that does not decode is still refused.
            let spec = try Self.typed(KeySpec.self, request)
            guard var prior = request.prior else { return nil }
            if spec.explicitPolicy {
                // A key made by 0.1.0 (AWS's default policy), new administrators, or a policy
                // changed outside catalyze (drift): the whole document is put again.
                try await putKeyPolicy(spec, keyID: prior.outputs["key_id"] ?? prior.cloudID, region: region)
                prior.attributes["policy"] = "explicit"
                prior.attributes["administrators"] = spec.administrators.joined(separator: ",")
            }
            if spec.encryptionByDefault {
                // A pod applied by 0.1.0, or the setting switched off outside catalyze (drift).
                try await switchOnEncryptionByDefault(region: region)
                prior.attributes["encryption_by_default"] = "true"
            }
            return prior
        case .delete:
            guard let prior = request.prior else { return nil }
            if prior.outputs["adopted"] != "true" {
                // Checked before the alias goes: a kept key stays as it was (alias, lockfile record).
                let emptyVaults = try await refuseWhileBackupsNeedKey(prior, address: request.spec.address, region: region)
                // Vaults under this key that a backup plan's delete had to leave (they held recovery
                // points then) go with it: no one could use them once the key is gone.
                for vault in emptyVaults {
                    do {
                        _ = try await client.rest(
                            .backup, "DeleteBackupVault", method: "DELETE", path: "/backup-vaults/\(AWSClient.label(vault))", region: region)
                    } catch let error as DriverError where error.isNotFound || error.awsCode == "InvalidRequestException" {}
                }
            }
            // The alias as recorded (a delete has no wanted spec; the record of a key made before
            // the alias was recorded, if any, falls back to the spec the delete was planned from).
            if let alias = prior.recorded(KeySpec.self)?.alias ?? (try? KeySpec(request.spec))?.alias {
                try await deleteIgnoringMissing {
                    _ = try await client.json(.kms, "DeleteAlias", region: region, ["AliasName": "alias/" + alias])
                }
            }
            let keyID = prior.outputs["key_id"] ?? prior.cloudID
            if prior.outputs["adopted"] == "true", let grant = prior.outputs["grant_id"], !grant.isEmpty {
                // catalyze's grant on the customer's key goes with the pod (RetireGrant by its
                // retiring principal, catalyze's own); one already gone is fine.
                try await deleteIgnoringMissing {
                    _ = try await client.json(.kms, "RetireGrant", region: region, ["KeyId": prior.outputs["arn"] ?? keyID, "GrantId": grant])
                }
            }
            if prior.outputs["adopted"] == "true" {
                try await deleteIgnoringMissing {
                    _ = try await client.json(
                        .kms, "UntagResource", region: region,
                        ["KeyId": keyID, "TagKeys": [CatalyzeTag.pod, CatalyzeTag.address, CatalyzeTag.operation, "catalyze:adopted"]])
                }
                return nil
            }
            do {
                _ = try await client.json(.kms, "ScheduleKeyDeletion", region: region, ["KeyId": keyID, "PendingWindowInDays": 7])
            } catch let error as DriverError where error.isNotFound || error.awsCode == "KMSInvalidStateException" {}
            return nil
        }
    }

    /// The key policy of `spec`'s key in `region`: the customer's administrators, and the principal
    /// these credentials act as (STS GetCallerIdentity, once for the driver's life) as catalyze.
    func keyPolicy(_ spec: KeySpec, region: String) async throws -> KeyPolicy {
        let client = self.client
        let caller = try await facts.caller.value("caller") {
            let reply = try await client.query(.sts, "GetCallerIdentity", region: region, [:])
            guard let arn = reply.string("GetCallerIdentityResult", "Arn"), let account = reply.string("GetCallerIdentityResult", "Account") else {
                throw DriverError.malformedResponse(service: "sts", action: "GetCallerIdentity", detail: "no Arn or Account")
            }
            return CallerIdentity(account: account, arn: arn)
        }
        return KeyPolicy(
            account: caller.account, partition: caller.partition, region: region, catalyze: KeyPolicy.principal(callerARN: caller.arn),
            administrators: spec.administrators)
    }

    /// The operations EBS needs of a key to make and attach encrypted volumes on catalyze's behalf
    /// (KMS Developer Guide, "How Amazon EBS uses AWS KMS"; CreateGrant so that EBS can make its
    /// own grant for each attachment), and DescribeKey.
    static let customerKeyGrantOperations = [
        "CreateGrant", "Decrypt", "DescribeKey", "Encrypt", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo",
    ]

    /// A grant on the customer's key for the principal catalyze runs as, named after the pod and
    /// address (CreateGrant with the same name and parameters answers the same grant: a retry makes
    /// no second one), which catalyze retires on `destroy`. The key's policy is never changed.
    /// Returns the grant id.
    func grantOnCustomerKey(_ key: KeyMetadata, request: ApplyRequest, region: String) async throws -> String {
        let spec = try Self.typed(KeySpec.self, request)
        let catalyze = try await keyPolicy(spec, region: region).catalyze
        let reply = try await client.json(.kms, "CreateGrant", region: region, [
            "KeyId": key.arn, "GranteePrincipal": catalyze, "RetiringPrincipal": catalyze,
            "Operations": Self.customerKeyGrantOperations,
            "Name": "catalyze-\(request.pod)-\(request.spec.address.region)-\(request.spec.address.name)",
        ])
        guard let grant = reply["GrantId"] as? String, !grant.isEmpty else {
            throw DriverError.malformedResponse(service: "kms", action: "CreateGrant", detail: "no GrantId")
        }
        return grant
    }

    /// PutKeyPolicy of `spec`'s policy on `keyID` (policy name `default`, the only one KMS has).
    func putKeyPolicy(_ spec: KeySpec, keyID: String, region: String) async throws {
        let policy = try await keyPolicy(spec, region: region)
        _ = try await client.json(.kms, "PutKeyPolicy", region: region, ["KeyId": keyID, "PolicyName": "default", "Policy": policy.document])
    }

    /// Switches on EBS encryption by default in `region` unless it is on (GetEbsEncryptionByDefault,
    /// then EnableEbsEncryptionByDefault; EC2 API reference): every new volume of the account in the
    /// region is then encrypted, whoever makes it. The account's default key
    /// (ModifyEbsDefaultKmsKeyId) is left as it is: several pods may share an account, and each of
    /// catalyze's volumes names its own pod's key. Never switched off, not even by `destroy`: other
    /// pods and the customer's own volumes rely on it.
    func switchOnEncryptionByDefault(region: String) async throws {
        guard try await encryptionByDefault(region: region) != true else { return }
        let reply = try await client.query(.ec2, "EnableEbsEncryptionByDefault", region: region, [:])
        guard reply.string("ebsEncryptionByDefault") == "true" else {
            throw DriverError.malformedResponse(
                service: "ec2", action: "EnableEbsEncryptionByDefault", detail: "EBS encryption by default is still off in \(region)")
        }
    }

    /// Whether EBS encryption by default is on in `region` (GetEbsEncryptionByDefault); nil when
    /// the reply does not say.
    func encryptionByDefault(region: String) async throws -> Bool? {
        let reply = try await client.query(.ec2, "GetEbsEncryptionByDefault", region: region, [:])
        return reply.string("ebsEncryptionByDefault").map { $0 == "true" }
    }

    /// Throws `DriverError.keyRetained` while any recovery point in the region's backup vaults is
    /// encrypted with this key: a key scheduled for deletion cannot be used after its waiting period,
    /// and every backup under it would be lost (AWS Backup encrypts a recovery point with its vault's
    /// key, so copies in another region's vault are under that region's key, checked when it goes).
    /// Returns the (empty) vaults encrypted with the key.
    func refuseWhileBackupsNeedKey(_ prior: CloudResource, address: ResourceAddress, region: String) async throws -> [String] {
        let keyID = prior.outputs["key_id"] ?? prior.cloudID
        let arn = prior.outputs["arn"] ?? ""
        func isThisKey(_ value: String?) -> Bool {
            guard let value, !value.isEmpty else { return false }
            return value == arn || value == keyID || value.hasSuffix(":key/\(keyID)")
        }
        var count = 0
        var vaults: [String] = []
        var lastExpiry: Double? = 0
        var emptyVaults: [String] = []
        for vault in try await listBackupVaults(region: region) {
            guard let name = vault["BackupVaultName"] as? String else { continue }
            let underKey = isThisKey(vault["EncryptionKeyArn"] as? String)
            let all: [[String: Any]]
            do {
                all = try await recoveryPoints(vault: name, region: region)
            } catch let error as DriverError where error.isNotFound {
                // Deleted since it was listed (a backup plan's delete running beside this one takes
                // its emptied vault): AWS deletes only a vault that holds no recovery point.
                continue
            }
            if underKey && all.isEmpty { emptyVaults.append(name) }
            let points = all.filter { isThisKey($0["EncryptionKeyArn"] as? String) }
            guard !points.isEmpty else { continue }
            count += points.count
            vaults.append(name)
            for point in points {
                let deleteAt = ((point["CalculatedLifecycle"] as? [String: Any])?["DeleteAt"] as? NSNumber)?.doubleValue
                lastExpiry = deleteAt.flatMap { at in lastExpiry.map { max($0, at) } }
            }
        }
        guard count > 0 else { return emptyVaults }
        let expiry = lastExpiry.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: $0)) }
        throw DriverError.keyRetained(address: address, keyID: keyID, recoveryPoints: count, vaults: vaults.sorted(), lastExpiry: expiry)
    }

    /// The recovery points of one vault (ListRecoveryPointsByBackupVault, paginated; bounded).
    func recoveryPoints(vault: String, region: String) async throws -> [[String: Any]] {
        var points: [[String: Any]] = []
        var next: String?
        for _ in 0..<100 {
            var query: [String: String] = [:]
            if let next { query["nextToken"] = next }
            let reply = try await client.rest(
                .backup, "ListRecoveryPointsByBackupVault", method: "GET",
                path: "/backup-vaults/\(AWSClient.label(vault))/recovery-points/", query: query, region: region)
            points += reply["RecoveryPoints"] as? [[String: Any]] ?? []
            next = (reply["NextToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            if next == nil { break }
        }
        return points
    }

    struct KeyMetadata {
        var keyID: String
        var arn: String
        var state: String
        var enabled: Bool
    }

    func describeKey(_ id: String, region: String) async throws -> KeyMetadata {
        let reply = try await client.json(.kms, "DescribeKey", region: region, ["KeyId": id])
        let metadata = reply["KeyMetadata"] as? [String: Any] ?? [:]
        return KeyMetadata(
            keyID: metadata["KeyId"] as? String ?? id, arn: metadata["Arn"] as? String ?? id,
            state: metadata["KeyState"] as? String ?? "Unknown", enabled: metadata["Enabled"] as? Bool ?? false)
    }

    func tagKey(_ keyID: String, request: ApplyRequest, extra: [String: String], region: String) async throws {
        let tags = Self.tags(request, extra: extra).map { ["TagKey": $0.0, "TagValue": $0.1] }
        _ = try await client.json(.kms, "TagResource", region: region, ["KeyId": keyID, "Tags": tags])
    }

    func pointAlias(_ alias: String, at keyID: String, region: String) async throws {
        do {
            _ = try await client.json(.kms, "CreateAlias", region: region, ["AliasName": alias, "TargetKeyId": keyID])
        } catch let error as DriverError where error.awsCode == "AlreadyExistsException" {
            _ = try await client.json(.kms, "UpdateAlias", region: region, ["AliasName": alias, "TargetKeyId": keyID])
        }
    }

    /// Every alias of the region (paginated).
    func listAliases(region: String) async throws -> [(name: String, keyID: String)] {
        var result: [(String, String)] = []
        var marker: String?
        repeat {
            var payload: [String: Any] = ["Limit": 100]
            if let marker { payload["Marker"] = marker }
            let reply = try await client.json(.kms, "ListAliases", region: region, payload)
            for alias in reply["Aliases"] as? [[String: Any]] ?? [] {
                if let name = alias["AliasName"] as? String, let key = alias["TargetKeyId"] as? String {
                    result.append((name, key))
                }
            }
            marker = (reply["Truncated"] as? Bool == true) ? reply["NextMarker"] as? String : nil
        } while marker != nil
        return result
    }

    func keyTags(_ keyID: String, region: String) async throws -> [String: String] {
        let reply = try await client.json(.kms, "ListResourceTags", region: region, ["KeyId": keyID])
        var tags: [String: String] = [:]
        for tag in reply["Tags"] as? [[String: Any]] ?? [] {
            if let key = tag["TagKey"] as? String { tags[key] = tag["TagValue"] as? String ?? "" }
        }
        return tags
    }

    /// The key made by this request's token: through its alias, or (after an ambiguous create,
    /// `scanAll`) through every key's tags, since the alias is set only after CreateKey answered.
    func findKey(request: ApplyRequest, alias: String, scanAll: Bool, region: String) async throws -> CloudResource? {
        var candidates = try await listAliases(region: region).filter { $0.name == alias }.map(\.keyID)
        if scanAll {
            let reply = try await client.json(.kms, "ListKeys", region: region, ["Limit": 1000])
            candidates += (reply["Keys"] as? [[String: Any]] ?? []).compactMap { $0["KeyId"] as? String }
        }
        for keyID in candidates {
            let tags = try await keyTags(keyID, region: region)
            guard tags[CatalyzeTag.operation] == request.token else { continue }
            let metadata = try await describeKey(keyID, region: region)
            if metadata.state == "PendingDeletion" { continue }
            return CloudResource(cloudID: metadata.keyID, outputs: ["arn": metadata.arn])
        }
        return nil
    }
}

extension AWSDriver {
    /// The pod's KMS keys: aliases not managed by AWS (`alias/aws/…`), filtered by their key's tags.
    /// Each key reports the region's EBS encryption by default as `encryption_by_default` (one
    /// GetEbsEncryptionByDefault per region, only when the pod has a key there).
    func refreshKeys(pod: String, region: String) async throws -> [(address: ResourceAddress, resource: CloudResource, tags: [String: String])] {
        var result: [(ResourceAddress, CloudResource, [String: String])] = []
        for alias in try await listAliases(region: region) where !alias.name.hasPrefix("alias/aws/") {
            let tags: [String: String]
            do { tags = try await keyTags(alias.keyID, region: region) } catch let error as DriverError where error.isNotFound { continue }
            guard tags[CatalyzeTag.pod] == pod, let address = tags[CatalyzeTag.address].flatMap(ResourceAddress.init(parsing:)) else { continue }
            var attributes = ["alias": String(alias.name.dropFirst(6))]
            let adopted = tags["catalyze:adopted"] == "true"
            if adopted { attributes["customer_key"] = alias.keyID }
            if !adopted {
                // Its policy as KMS holds it (a customer's key is never read: its policy is the customer's).
                let reply = try await client.json(.kms, "GetKeyPolicy", region: region, ["KeyId": alias.keyID, "PolicyName": "default"])
                let policy = KeyPolicy.readBack(reply["Policy"] as? String ?? "")
                attributes["policy"] = policy.form
                attributes["administrators"] = policy.administrators.joined(separator: ",")
            }
            let resource = CloudResource(
                cloudID: alias.keyID, attributes: attributes, outputs: ["key_id": alias.keyID, "adopted": adopted ? "true" : "false"])
            result.append((address, resource, tags))
        }
        if !result.isEmpty, let on = try await encryptionByDefault(region: region) {
            for index in result.indices { result[index].1.attributes["encryption_by_default"] = on ? "true" : "false" }
        }
        return result
    }
}
