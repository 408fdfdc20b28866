import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// backup_plan on Rackspace: Rackspace Cloud Backup (API v1.0, catalog `cloudBackup`, type `rax:backup`).
///
/// Cloud Backup works per server: an agent on each server registers itself (`GET user/agents`:
/// `MachineAgentId`, `HostServerId`), and a backup configuration of that agent says what to back up
/// and when. A backup_plan is one configuration per database server named in `instances`:
/// `Inclusions` the database data folders, `Frequency` Hourly (`HourInterval`), Daily or Weekly
/// (05:00 UTC, Sundays) from `interval`, `VersionRetention` = `retention_days` (30, 60 or 0 =
/// forever: `BackupSchedule` already rounded it up). Configurations carry no tags: the
/// `ConfigurationName` holds them (`catalyze:address=…;catalyze:op=…;catalyze:pod=…`).
/// cloudID = the configuration ids, comma-separated, in numeric order; outputs `agents`.
///
/// Encryption at rest: with a `passphrase` attribute (the reference to the customer's passphrase,
/// from `backup.passphrase`), every agent's vault is encrypted with it before its configuration is
/// made (see `encryptBackupVaults`), and `encrypted` records that; refresh reads `IsEncrypted` back
/// from the same `user/agents` listing, so an unencrypted agent (a replaced server's new one) is
/// drift the next apply repairs. Without it the vaults are encrypted in transit only and the data
/// at rest relies on the LUKS volume it was copied from.
///
/// Limits (the docs say so): Cloud Backup keeps backups in the server's own region (no `copy_to`);
/// a vault's encryption cannot be switched off, nor its passphrase changed without the old one (see
/// `encryptBackupVaults`); a replaced server gets a new agent, and the plan follows it in place
/// (update), encrypting the new agent's vault.
struct BackupPlanHandler: RackspaceResourceHandler {
    var kind: ResourceKind { .backupPlan }
    var lists: Set<RackspaceList> { [.servers, .backupConfigurations] }

    func apply(_ request: ApplyRequest, driver: RackspaceDriver, region: String) async throws -> ApplyResponse {
        try await driver.applyBackupPlan(request, region: region)
    }

    /// The pod's database servers (not deleted): server id → address.
    static func databaseServers(pod: String, servers: [JSONValue]) -> [String: String] {
        var databases: [String: String] = [:]
        for server in servers where server["status"].string != "DELETED" {
            let metadata = server["metadata"].stringMembers
            guard metadata[CatalyzeTag.pod] == pod, metadata["catalyze:role"] == "db", let id = server["id"].string,
                  let address = metadata[CatalyzeTag.address] else { continue }
            databases[id] = address
        }
        return databases
    }

    /// One plan per address its database agents' configurations are tagged with: the configuration
    /// ids, the instances, `encrypted` from the agents' `IsEncrypted`; the lineage only when every
    /// configuration carries the same one.
    func read(_ batch: RackspaceBatch, into found: inout [LiveResource]) {
        let pod = batch.pod
        let databases = Self.databaseServers(pod: pod, servers: batch.servers)
        var plans: [String: (ids: [String], instances: [String], configuration: JSONValue, token: String?, encrypted: [Bool?], lineage: String?)] = [:]
        for (agent, configurations) in batch.backupAgents {
            guard let server = agent["HostServerId"].string, let instance = databases[server] else { continue }
            for configuration in configurations {
                let tags = RackspaceDriver.undescribe(configuration["ConfigurationName"].string)
                guard tags[CatalyzeTag.pod] == pod, let address = tags[CatalyzeTag.address],
                      let configID = configuration["BackupConfigurationId"].int else { continue }
                var plan = plans[address] ?? ([], [], configuration, tags[CatalyzeTag.operation], [], tags[CatalyzeTag.lineage])
                plan.ids.append(String(configID))
                plan.instances.append(instance)
                plan.encrypted.append(agent["IsEncrypted"].bool)
                // One configuration without the plan's lineage leaves the plan to be re-tagged.
                if tags[CatalyzeTag.lineage] != plan.lineage { plan.lineage = nil }
                plans[address] = plan
            }
        }
        found += plans.sorted { $0.key < $1.key }.compactMap { address, plan in
            guard let parsed = ResourceAddress(parsing: address) else { return nil }
            var attributes = ["copy_to": "", "instances": plan.instances.sorted().joined(separator: ",")]
            attributes["interval"] = RackspaceDriver.backupInterval(plan.configuration).map(String.init)
            attributes["retention_days"] = plan.configuration["VersionRetention"].int.map(String.init)
            attributes["encrypted"] = RackspaceDriver.encryptedAttribute(plan.encrypted)
            return LiveResource(
                address: parsed, kind: .backupPlan,
                resource: CloudResource(cloudID: RackspaceDriver.sortedIDs(plan.ids).joined(separator: ","), attributes: attributes),
                operationToken: plan.token, lineage: plan.lineage)
        }
    }

    /// Each configuration's `ConfigurationName` (`key=value;…`): `GET` + `PUT backup-configuration/{id}`.
    func tag(_ request: TagRequest, driver: RackspaceDriver) async throws -> TagResponse {
        let region = request.region
        let ids = request.resource.cloudID.split(separator: ",").map(String.init)
        for configurationID in ids {
            let current = try await driver.client.call(
                .backup, "GET", "backup-configuration/\(configurationID)", region: region, action: "GetBackupConfiguration")
            guard case .object(var body) = current.body else { continue }
            let tags = RackspaceDriver.merged(RackspaceDriver.undescribe(body["ConfigurationName"]?.string), request)
            body["ConfigurationName"] = .string(RackspaceDriver.describe(tags))
            _ = try await driver.client.call(
                .backup, "PUT", "backup-configuration/\(configurationID)", body: .object(body), region: region,
                action: "UpdateBackupConfiguration")
        }
        return TagResponse(objects: ids.count)
    }
}

extension RackspaceDriver {
    /// What each database configuration backs up: the data folders of the engines catalyze runs.
    static let backupInclusions = ["/var/lib/postgresql", "/var/lib/mysql"]

    /// Creates, updates or deletes the configurations of a backup_plan.
    func applyBackupPlan(_ request: ApplyRequest, region: String) async throws -> ApplyResponse {
        if request.operation == .delete {
            for id in (request.prior?.cloudID ?? "").split(separator: ",") {
                _ = try await client.call(
                    .backup, "DELETE", "backup-configuration/\(id)", region: region, action: "DeleteBackupConfiguration",
                    expected: [200, 204, 404])
            }
            return ApplyResponse(resource: nil)
        }
        let spec = try request.typed(BackupPlanSpec.self)
        var servers: [(address: String, id: String)] = []
        for address in (spec.instances ?? []).sorted(by: { $0.description < $1.description }) {
            servers.append((address.description, try request.dependencyID(of: address)))
        }
        let agents = try await backupAgents(for: servers.map(\.id), request: request, region: region)
        // Vaults first: no backup may run before its vault is encrypted, and a passphrase that
        // cannot be read fails the action before anything is made.
        let planned = servers.compactMap { agents[$0.id] }
        try await encryptBackupVaults(request, spec, agents: planned, region: region)
        var ids: [String] = []
        var keep: Set<String> = []
        for server in servers {
            guard let agent = agents[server.id]?.id else { continue }
            let body = try Self.backupConfiguration(request, spec, agent: agent)
            let existing = try await configurations(agent: agent, region: region).first {
                Self.undescribe($0["ConfigurationName"].string)[CatalyzeTag.address] == request.spec.address.description
                    && Self.undescribe($0["ConfigurationName"].string)[CatalyzeTag.pod] == request.pod
            }
            if let existing, let id = existing["BackupConfigurationId"].int {
                let sameToken = Self.undescribe(existing["ConfigurationName"].string)[CatalyzeTag.operation] == request.token
                if request.operation == .update || !sameToken {
                    _ = try await client.call(
                        .backup, "PUT", "backup-configuration/\(id)", body: body, region: region, action: "UpdateBackupConfiguration")
                }
                ids.append(String(id))
            } else {
                let reply = try await client.call(
                    .backup, "POST", "backup-configuration", body: body, region: region, action: "CreateBackupConfiguration")
                guard let id = reply.body["BackupConfigurationId"].int else {
                    throw DriverError.malformedResponse(service: "backup", action: "CreateBackupConfiguration", detail: "no BackupConfigurationId")
                }
                ids.append(String(id))
            }
            keep.insert(ids.last!)
        }
        // Configurations of servers no longer named (replaced or removed) go.
        for id in (request.prior?.cloudID ?? "").split(separator: ",").map(String.init) where !keep.contains(id) {
            _ = try await client.call(
                .backup, "DELETE", "backup-configuration/\(id)", region: region, action: "DeleteBackupConfiguration",
                expected: [200, 204, 404])
        }
        // Cloud Backup keeps backups in the server's region: no copies to record.
        var recorded = spec
        recorded.copyTo = ""
        recorded.copyVault = nil
        recorded.encrypted = nil
        var attributes = recorded.attributes
        // Written as text: "" (the agents' listing cannot tell) is a record, not a spec value.
        attributes["encrypted"] = spec.passphrase != nil ? "true" : Self.encryptedAttribute(planned.map(\.encrypted))
        return ApplyResponse(resource: CloudResource(
            cloudID: Self.sortedIDs(ids).joined(separator: ","), attributes: attributes,
            outputs: ["agents": planned.map { String($0.id) }.joined(separator: ",")]))
    }

    /// Configuration ids in numeric order (the cloudID's order, the same from apply and refresh).
    static func sortedIDs(_ ids: [String]) -> [String] { ids.sorted { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) } }

    /// The configuration body for one agent.
    static func backupConfiguration(_ request: ApplyRequest, _ spec: BackupPlanSpec, agent: Int) throws -> JSONValue {
        let (hours, retention) = (spec.intervalHours, spec.retentionDays)
        guard [0, 30, 60].contains(retention) else {
            throw DriverError.invalidSpec(
                address: request.spec.address, reason: "Cloud Backup keeps versions 30 or 60 days, or forever (0)")
        }
        var body: [String: JSONValue] = [
            "MachineAgentId": .number(Double(agent)), "ConfigurationName": .string(describe(tags(request))),
            "IsActive": .bool(true), "VersionRetention": .number(Double(retention)), "MissedBackupActionId": 1,
            "TimeZoneId": "UTC", "NotifyRecipients": "", "NotifySuccess": .bool(false), "NotifyFailure": .bool(false),
            "Inclusions": .array(backupInclusions.map { ["FilePath": .string($0), "FileItemType": "Folder"] }),
            "Exclusions": [],
        ]
        if hours < 24 {
            body["Frequency"] = "Hourly"
            body["HourInterval"] = .number(Double(max(1, hours)))
        } else {
            body["Frequency"] = hours < 168 ? "Daily" : "Weekly"
            body["StartTimeHour"] = 5
            body["StartTimeMinute"] = 0
            body["StartTimeAmPm"] = "AM"
            if hours >= 168 { body["DayOfWeekId"] = 0 }
        }
        return .object(body)
    }

    /// The interval in hours a configuration schedules (nil for `Manually`).
    static func backupInterval(_ configuration: JSONValue) -> Int? {
        switch configuration["Frequency"].string {
        case "Hourly": configuration["HourInterval"].int
        case "Daily": 24
        case "Weekly": 168
        default: nil
        }
    }

    /// `encrypted` as refresh and apply report it: `true` when every agent's vault is encrypted,
    /// `false` when one is not, empty (cannot tell) when the listing does not say.
    static func encryptedAttribute(_ flags: [Bool?]) -> String {
        if flags.contains(false) { return "false" }
        return flags.contains(nil) ? "" : "true"
    }

    /// The agent of each server, waiting (up to `maxPolls`) for agents that have not registered yet.
    func backupAgents(for serverIDs: [String], request: ApplyRequest, region: String) async throws -> [String: BackupAgent] {
        var polls = 0
        while true {
            let agents = try await client.call(.backup, "GET", "user/agents", region: region, action: "ListAgents").body.array
            var found: [String: BackupAgent] = [:]
            for agent in agents {
                if let server = agent["HostServerId"].string, let id = agent["MachineAgentId"].int {
                    found[server] = BackupAgent(id: id, encrypted: agent["IsEncrypted"].bool)
                }
            }
            let missing = serverIDs.filter { found[$0] == nil }
            if missing.isEmpty { return found }
            polls += 1
            if polls >= configuration.maxPolls {
                throw DriverError.failedState(
                    address: request.spec.address, state: "no agent",
                    detail: "no Cloud Backup agent registered for server \(missing.joined(separator: ", "))")
            }
            try await pollPause()
        }
    }

    /// The backup configurations of one agent.
    func configurations(agent: Int, region: String) async throws -> [JSONValue] {
        try await client.call(
            .backup, "GET", "backup-configuration/system/\(agent)", region: region, action: "ListBackupConfigurations",
            expected: [200, 404]).body.array
    }

    /// The configurations of the pod's backup plans in one region (`RackspaceList.backupConfigurations`):
    /// `user/agents` once, then the configurations of the agents of the pod's database servers (Cloud
    /// Backup lists configurations per agent only), so the calls grow with database servers, not with
    /// the pod's other resources. `encrypted` comes from the same listing (`IsEncrypted`), at no extra
    /// call. A region whose catalog has no Cloud Backup has none.
    func podBackupConfigurations(pod: String, region: String, servers: [JSONValue]) async throws -> [(agent: JSONValue, configurations: [JSONValue])] {
        let databases = BackupPlanHandler.databaseServers(pod: pod, servers: servers)
        guard !databases.isEmpty else { return [] }
        let agents: [JSONValue]
        do {
            agents = try await client.call(.backup, "GET", "user/agents", region: region, action: "ListAgents").body.array
        } catch DriverError.unknownRegion { return [] }
        var found: [(agent: JSONValue, configurations: [JSONValue])] = []
        for agent in agents.sorted(by: { ($0["MachineAgentId"].int ?? 0) < ($1["MachineAgentId"].int ?? 0) }) {
            guard let server = agent["HostServerId"].string, databases[server] != nil, let id = agent["MachineAgentId"].int else { continue }
            found.append((agent, try await configurations(agent: id, region: region)))
        }
        return found
    }
}
