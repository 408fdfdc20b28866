import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeRackspace
import CatalyzeState
import CatalyzeTestSupport
import Crypto
import Foundation
import Testing

/// The whole tool against mimic (Rackspace) and, for the cross-cloud pod, a private moto (AWS):
/// `catalyze apply` of examples/dev-rax.yaml and examples/dr-cross-cloud.yaml, a clean second plan,
/// `destroy` leaving nothing behind in either cloud, and no secret anywhere on disk or in the output.
///
/// mimic runs with catalyze's extension (Tests/Peers/mimic_plugins/): Cinder volumes, Neutron
/// networks and security groups, Nova volume attachments and dedicated-host placement, CLB SSL
/// termination and node metadata, consistent and seedable Cloud Monitoring metrics. Each test works
/// in a tenant of its own (mimic isolates tenants), its fleet seeded by scripts/seed-rax-fleet.py.
@Suite(.serialized) struct EndToEndRackspaceTests {
    static let apiKey = "e2e-RAX-api-key-5b8e"
    static let secretKey = "e2e-SECRET-access-key-41d0"
    static let dbPassword = "e2e-db-password-c7a2"
    static let backupPassphrase = "e2e-backup-passphrase-3d91"

    struct Workspace {
        let folder: TemporaryDirectory
        let environment: [String: String]
        let tenant: String
        /// The fleet's host ids, as scripts/seed-rax-fleet.py printed them.
        let fleet: [String]
        let moto: PrivateMoto?

        func catalyze(_ arguments: String...) async throws -> CommandResult {
            try await runCommand(catalyzeBinary, arguments, in: folder.url, environment: environment)
        }

        func stop() {
            moto?.stop()
            folder.remove()
        }
    }

    /// A folder with the example as pod.yaml (and a TLS bundle for the certificate references), a
    /// fresh mimic tenant with a three-host fleet, and with `aws` a private moto with a fleet in us-west-2.
    /// `examples` is the folder the example comes from (the upgrade test passes the previous release's).
    static func workspace(
        example: String, aws: Bool = false, examples: URL = repositoryRoot.appendingPathComponent("examples")
    ) async throws -> Workspace {
        let mimic = try RackspaceMimic()
        let tenant = RackspaceMimic.uniqueTenant("e2e")
        let seed = try await runCommand(PrivateMoto.python, [
            repositoryRoot.appendingPathComponent("scripts/seed-rax-fleet.py").path, mimic.baseURL.absoluteString,
            "--tenant", tenant, "--user", RackspaceMimic.user(tenant), "--region", "ORD", "--hosts", "3",
        ])
        try #require(seed.status == 0, "seeding mimic failed: \(seed.stderr)")
        let fleet = seed.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }
        try #require(fleet.count == 3, "three hosts seeded: \(seed.stdout)")

        var moto: PrivateMoto?
        var environment = [
            "OS_AUTH_URL": mimic.authURL.absoluteString, "OS_USERNAME": RackspaceMimic.user(tenant), "OS_API_KEY": apiKey,
            "OS_TENANT_ID": tenant, "OS_REGION_NAME": "ORD", "ACME_DB_PASSWORD": dbPassword,
            "ACME_BACKUP_PASSPHRASE": backupPassphrase, "NO_COLOR": "1",
            "AWS_PROFILE": "", "AWS_SESSION_TOKEN": "",
        ]
        if aws {
            let started = try await PrivateMoto.start()
            moto = started
            let seeded = try await runCommand(PrivateMoto.python, [
                repositoryRoot.appendingPathComponent("scripts/seed-aws-fleet.py").path, started.url.absoluteString, "us-west-2",
                "--hosts", "3",
            ])
            if seeded.status != 0 { started.stop() }
            try #require(seeded.status == 0, "seeding moto failed: \(seeded.stderr)")
            environment["AWS_ENDPOINT_URL"] = started.url.absoluteString
            environment["AWS_ACCESS_KEY_ID"] = "AKIDE2ERAX"
            environment["AWS_SECRET_ACCESS_KEY"] = secretKey
        }
        let folder = try TemporaryDirectory(prefix: "catalyze-e2e-rax")
        try FileManager.default.copyItem(
            atPath: examples.appendingPathComponent(example).path, toPath: folder.path("pod.yaml"))
        try await TLSBundle.write(in: folder, as: ["acme-dr.pem"])
        return Workspace(folder: folder, environment: environment, tenant: tenant, fleet: fleet, moto: moto)
    }

    /// What the pod has in the clouds, as the drivers' refresh finds it by tags.
    static func live(_ ws: Workspace, pod: String) async throws -> [LiveResource] {
        let rax = try RackspaceDriver.fromEnvironment(ws.environment, transport: CurlTransport())
        var found = try await rax.refresh(RefreshRequest(pod: pod, region: "ORD")).resources
        if ws.moto != nil {
            let aws = try AWSDriver.fromEnvironment(ws.environment, transport: CurlTransport())
            found += try await aws.refresh(RefreshRequest(pod: pod, region: "us-west-2")).resources
        }
        return found
    }

    /// What mimic holds for the pod, listed raw (not through the driver), by kind.
    static func mimicInventory(_ ws: Workspace, pod: String) async throws -> [String: Int] {
        let session = try await MimicSession.authenticate(tenantID: ws.tenant)
        func list(_ service: String, _ path: String, _ key: String) async throws -> [[String: Any]] {
            let reply = try await session.send("GET", try session.endpoint(name: service, region: "ORD").appendingPathComponent(path))
            #expect(reply.status == 200, "GET \(path): \(reply.status)")
            return try reply.json()[key] as? [[String: Any]] ?? []
        }
        let servers = try await list("cloudServersOpenStack", "servers/detail", "servers").filter {
            ($0["metadata"] as? [String: Any])?[CatalyzeTag.pod] as? String == pod && $0["status"] as? String != "DELETED"
        }
        let balancers = try await list("cloudLoadBalancers", "loadbalancers", "loadBalancers").filter {
            ($0["name"] as? String ?? "").hasPrefix("\(pod)-")
                && !["DELETED", "PENDING_DELETE", "PENDING-DELETE"].contains($0["status"] as? String ?? "")
        }
        let volumes = try await list("cloudBlockStorage", "volumes/detail", "volumes").filter {
            ($0["metadata"] as? [String: Any])?[CatalyzeTag.pod] as? String == pod && $0["status"] as? String != "deleting"
        }
        let tagged = { (item: [String: Any]) in (item["description"] as? String ?? "").contains("\(CatalyzeTag.pod)=\(pod)") }
        let networks = try await list("cloudNetworks", "networks", "networks").filter(tagged)
        let groups = try await list("cloudNetworks", "security-groups", "security_groups").filter(tagged)
        let entities = try await list("cloudMonitoring", "entities", "values").filter {
            ($0["metadata"] as? [String: Any])?[CatalyzeTag.pod] as? String == pod
        }
        // Cloud Backup (catalyze's mimic extension): the pod's configurations, agent by agent.
        let backupURL = try session.endpoint(name: "cloudBackup", region: "ORD")
        let agents = try JSONSerialization.jsonObject(
            with: try await session.send("GET", backupURL.appendingPathComponent("user/agents")).body) as? [[String: Any]] ?? []
        var configurations = 0
        for agent in agents {
            guard let id = agent["MachineAgentId"] as? Int else { continue }
            let reply = try await session.send("GET", backupURL.appendingPathComponent("backup-configuration/system/\(id)"))
            let list = try JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]] ?? []
            configurations += list.filter { ($0["ConfigurationName"] as? String ?? "").contains("\(CatalyzeTag.pod)=\(pod)") }.count
        }
        return [
            "instance": servers.count, "load_balancer": balancers.count, "volume": volumes.count, "network": networks.count,
            "firewall": groups.count, "monitoring_entity": entities.count, "backup_configuration": configurations,
        ]
    }

    /// Each Cloud Backup agent's encryption, through catalyze's test-only control call on mimic:
    /// whether it is encrypted, with a passphrase of which SHA-256, after how many accepted calls.
    static func agentEncryption(_ ws: Workspace) async throws -> [Int: (encrypted: Bool, sha256: String?, calls: Int)] {
        let session = try await MimicSession.authenticate(tenantID: ws.tenant)
        let backupURL = try session.endpoint(name: "cloudBackup", region: "ORD")
        let controlURL = try session.endpoint(name: "catalyzeCloudBackupControl", region: "ORD")
        let agents = try JSONSerialization.jsonObject(
            with: try await session.send("GET", backupURL.appendingPathComponent("user/agents")).body) as? [[String: Any]] ?? []
        var found: [Int: (Bool, String?, Int)] = [:]
        for agent in agents {
            guard let id = agent["MachineAgentId"] as? Int else { continue }
            let state = try await session.send("GET", controlURL.appendingPathComponent("agent/\(id)/encryption")).json()
            found[id] = (state["IsEncrypted"] as? Bool ?? false, state["PassphraseSHA256"] as? String, state["EncryptCalls"] as? Int ?? -1)
        }
        return found
    }

    static var backupPassphraseSHA256: String {
        SHA256.hash(data: Data(backupPassphrase.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The number in "Plan: N to add, …".
    static func toAdd(_ output: String) -> Int? {
        guard let range = output.range(of: #"Plan: (\d+) to add"#, options: .regularExpression) else { return nil }
        return Int(output[range].split(separator: " ")[1])
    }

    /// No secret in the lockfile, its backup, the plan file or the output of any run.
    static func expectNoSecrets(_ ws: Workspace, outputs: [CommandResult]) throws {
        let pem = try String(contentsOfFile: ws.folder.path("certs/key.pem"), encoding: .utf8)
        let keyLine = pem.split(separator: "\n").dropFirst().first.map(String.init) ?? "unreachable"
        let secrets = [apiKey, secretKey, dbPassword, backupPassphrase, keyLine, "PRIVATE KEY"]
        for file in ["catalyze.lock.json", "catalyze.lock.json.backup", "pod.plan"] {
            let text = (try? String(contentsOfFile: ws.folder.path(file), encoding: .utf8)) ?? ""
            for secret in secrets { #expect(!text.contains(secret), "\(file) holds a secret") }
        }
        for output in outputs {
            for secret in secrets { #expect(!output.stdout.contains(secret) && !output.stderr.contains(secret), "output holds a secret") }
        }
    }

    @Test func devPodOnRackspaceRoundTrip() async throws {
        let ws = try await Self.workspace(example: "dev-rax.yaml")
        defer { ws.stop() }

        let planned = try await ws.catalyze("plan", "--out", "pod.plan", "--detailed-exitcode")
        #expect(planned.status == 2, "a first plan has changes: \(planned.stderr)")
        let adds = try #require(Self.toAdd(planned.stdout), "plan summary: \(planned.stdout.suffix(300))")
        #expect(planned.stdout.contains("\(adds) to add, 0 to change, 0 to destroy."))

        let applied = try await ws.catalyze("apply", "pod.plan")
        try #require(applied.status == 0, "apply failed:\n\(applied.stdout)\n\(applied.stderr)")
        #expect(applied.stdout.contains("Apply complete! Resources: \(adds) added"))

        let lockPath = ws.folder.path("catalyze.lock.json")
        let lockfile = try #require(try FileStateStore(path: lockPath).load())
        #expect(lockfile.journal.isEmpty)
        #expect(lockfile.resources.count == adds, "the lockfile records what the plan made")
        let live = try await Self.live(ws, pod: "acme-dev")
        #expect(Set(live.map(\.address)) == Set(lockfile.resources.keys), "mimic holds exactly the lockfile's resources")
        for item in live { #expect(lockfile.resources[item.address]?.cloudID == item.resource.cloudID, "\(item.address)") }

        // Counted raw in mimic: one server per container, one balancer, one volume, network, group, monitoring entity.
        let records = lockfile.sortedRecords
        let inventory = try await Self.mimicInventory(ws, pod: "acme-dev")
        #expect(inventory["instance"] == records.filter { $0.kind == .instance }.count)
        #expect(inventory["instance"] == 5, "app01, db01, api01, logging01, monitoring01")
        #expect(inventory["load_balancer"] == 1 && inventory["volume"] == 1 && inventory["network"] == 1 && inventory["firewall"] == 1)
        #expect(inventory["monitoring_entity"] == 1, "the monitoring container's Cloud Monitoring entity")
        // Every container runs on a host of the seeded fleet, where Nova really put it.
        for item in live where item.kind == .instance {
            let host = item.resource.attributes["host"] ?? ""
            #expect(ws.fleet.contains(host), "\(item.address) on \(host)")
            #expect(lockfile.resources[item.address]?.attributes["host"] == host)
        }

        let again = try await ws.catalyze("plan", "--detailed-exitcode")
        #expect(again.status == 0, "second plan must be clean:\n\(again.stdout)\n\(again.stderr)")
        #expect(again.stdout.contains("No changes."))

        let destroyed = try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data")
        #expect(destroyed.status == 0, "destroy failed:\n\(destroyed.stdout)\n\(destroyed.stderr)")
        #expect(destroyed.stdout.contains("\(adds) destroyed"))
        let after = try await Self.live(ws, pod: "acme-dev")
        #expect(after.isEmpty, "left behind: \(after.map(\.address))")
        #expect(try await Self.mimicInventory(ws, pod: "acme-dev").values.allSatisfy { $0 == 0 }, "nothing of the pod left in mimic")
        #expect(try FileStateStore(path: lockPath).load()?.resources.isEmpty == true)
        try Self.expectNoSecrets(ws, outputs: [planned, applied, again, destroyed])
    }

    @Test func crossCloudPodOnRackspaceAndAWSRoundTrip() async throws {
        let ws = try await Self.workspace(example: "dr-cross-cloud.yaml", aws: true)
        defer { ws.stop() }

        let planned = try await ws.catalyze("plan", "--out", "pod.plan", "--detailed-exitcode")
        #expect(planned.status == 2, "a first plan has changes: \(planned.stderr)")
        let adds = try #require(Self.toAdd(planned.stdout), "plan summary: \(planned.stdout.suffix(300))")
        let applied = try await ws.catalyze("apply", "pod.plan")
        try #require(applied.status == 0, "apply failed:\n\(applied.stdout)\n\(applied.stderr)")

        let lockPath = ws.folder.path("catalyze.lock.json")
        let lockfile = try #require(try FileStateStore(path: lockPath).load())
        #expect(lockfile.journal.isEmpty)
        #expect(lockfile.resources.count == adds)
        let regions = Set(lockfile.sortedRecords.map(\.address.region))
        #expect(regions == ["primary", "dr"])
        #expect(lockfile.sortedRecords.filter { $0.address.region == "primary" }.allSatisfy { $0.provider == .rax })
        #expect(lockfile.sortedRecords.filter { $0.address.region == "dr" }.allSatisfy { $0.provider == .aws })
        let live = try await Self.live(ws, pod: "acme-dr")
        #expect(Set(live.map(\.address)) == Set(lockfile.resources.keys), "mimic and moto hold exactly the lockfile's resources")
        for item in live { #expect(lockfile.resources[item.address]?.cloudID == item.resource.cloudID, "\(item.address)") }

        // Anti-affinity held in both clouds: replicas on different physical hosts, as the clouds report them.
        for region in ["primary", "dr"] {
            for group in [["app01", "app02"], ["db01", "db02"]] {
                let hosts = group.compactMap { name in
                    live.first { $0.address == ResourceAddress(region: region, kind: .instance, name: name) }?.resource.attributes["host"]
                }
                #expect(hosts.count == 2 && hosts[0] != hosts[1], "\(region): \(group) on \(hosts)")
            }
        }
        for item in live where item.address.region == "primary" && item.kind == .instance {
            #expect(ws.fleet.contains(item.resource.attributes["host"] ?? ""), "\(item.address) on the seeded Rackspace fleet")
        }
        let inventory = try await Self.mimicInventory(ws, pod: "acme-dr")
        #expect(inventory["instance"] == lockfile.sortedRecords.filter { $0.kind == .instance && $0.address.region == "primary" }.count)
        #expect(inventory["volume"] == 2 && inventory["load_balancer"] == 1)

        // Backups in both clouds: Cloud Backup, one configuration per database server, on Rackspace;
        // AWS Backup (a plan with its vault and selection) on AWS. No copy between clouds.
        #expect(inventory["backup_configuration"] == 2, "one Cloud Backup configuration per database server")
        let primaryBackup = try #require(lockfile.resources[ResourceAddress(region: "primary", kind: .backupPlan, name: "main")])
        #expect(primaryBackup.provider == .rax && primaryBackup.cloudID.split(separator: ",").count == 2)
        #expect(primaryBackup.attributes["instances"] == "primary/instance.db01,primary/instance.db02")
        // Each database server's vault is encrypted with exactly the customer's passphrase, once;
        // the lockfile holds the reference and the fact, never the passphrase.
        #expect(primaryBackup.attributes["passphrase"] == "env:ACME_BACKUP_PASSPHRASE" && primaryBackup.attributes["encrypted"] == "true")
        let agents = try #require(primaryBackup.outputs["agents"]).split(separator: ",").compactMap { Int($0) }
        let encryption = try await Self.agentEncryption(ws)
        #expect(agents.count == 2)
        for agent in agents {
            let state = encryption[agent]
            #expect(state?.encrypted == true && state?.sha256 == Self.backupPassphraseSHA256 && state?.calls == 1, "agent \(agent): \(String(describing: state))")
        }
        let drBackup = try #require(lockfile.resources[ResourceAddress(region: "dr", kind: .backupPlan, name: "main")])
        #expect(drBackup.provider == .aws && drBackup.attributes["copy_to"] == "" && drBackup.outputs["vault_arn"]?.isEmpty == false)

        // The Rackspace balancer terminates TLS with the certificate of certs/acme-dr.pem.
        let balancer = try #require(lockfile.resources[ResourceAddress(region: "primary", kind: .loadBalancer, name: "main")])
        let session = try await MimicSession.authenticate(tenantID: ws.tenant)
        let tlsURL = try session.endpoint(name: "cloudLoadBalancers", region: "ORD")
            .appendingPathComponent("loadbalancers/\(balancer.cloudID)/ssltermination")
        let certificate = try String(contentsOfFile: ws.folder.path("certs/cert.pem"), encoding: .utf8)
        let tls = try await session.send("GET", tlsURL)
        #expect(tls.status == 200)
        let termination = try tls.json()["sslTermination"] as? [String: Any]
        #expect(termination?["certificate"] as? String == certificate)
        #expect(termination?["securePort"] as? Int == 443)

        let again = try await ws.catalyze("plan", "--detailed-exitcode")
        #expect(again.status == 0, "second plan must be clean:\n\(again.stdout)\n\(again.stderr)")
        #expect(again.stdout.contains("No changes."))

        // The second apply-free plan did not touch the vaults: still one encryption call each.
        #expect(try await Self.agentEncryption(ws).filter { agents.contains($0.key) }.values.allSatisfy { $0.calls == 1 })

        // TLS termination removed and a vault unencrypted outside catalyze (the control call does
        // what Cloud Backup cannot): the plan shows both and apply repairs both.
        #expect(try await session.send("DELETE", tlsURL).status == 200)
        let control = try session.endpoint(name: "catalyzeCloudBackupControl", region: "ORD")
        let unencrypted = try #require(agents.last)
        #expect(try await session.send("PUT", control.appendingPathComponent("agent/\(unencrypted)/encryption"), json: ["IsEncrypted": false]).status == 204)
        let drifted = try await ws.catalyze("plan", "--detailed-exitcode")
        #expect(drifted.status == 2, "\(drifted.stdout)\n\(drifted.stderr)")
        #expect(drifted.stdout.contains("primary/load_balancer.main") && drifted.stdout.contains("primary/backup_plan.main"))
        #expect(drifted.stdout.contains("0 to add, 2 to change, 0 to destroy."), "\(drifted.stdout)")
        let repaired = try await ws.catalyze("apply", "--auto-approve")
        #expect(repaired.status == 0, "\(repaired.stdout)\n\(repaired.stderr)")
        let reencrypted = try await Self.agentEncryption(ws)
        #expect(reencrypted[unencrypted]?.encrypted == true && reencrypted[unencrypted]?.sha256 == Self.backupPassphraseSHA256)
        #expect(reencrypted[agents[0]]?.calls == 1, "the other vault was left alone")
        #expect(try await session.send("GET", tlsURL).json()["sslTermination"] as? [String: Any] != nil)
        #expect((try await session.send("GET", tlsURL).json()["sslTermination"] as? [String: Any])?["certificate"] as? String == certificate)
        #expect(try await ws.catalyze("plan", "--detailed-exitcode").status == 0, "clean again")

        let destroyed = try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data")
        #expect(destroyed.status == 0, "destroy failed:\n\(destroyed.stdout)\n\(destroyed.stderr)")
        let after = try await Self.live(ws, pod: "acme-dr")
        #expect(after.isEmpty, "left behind: \(after.map(\.address))")
        #expect(try await Self.mimicInventory(ws, pod: "acme-dr").values.allSatisfy { $0 == 0 }, "nothing of the pod left in mimic")
        #expect(try FileStateStore(path: lockPath).load()?.resources.isEmpty == true)
        try Self.expectNoSecrets(ws, outputs: [planned, applied, again, drifted, repaired, destroyed])
    }

    /// Day two on a running Rackspace pod: a second app replica (its own server on another host,
    /// a new balancer node, nothing placed moves), a new image (the app servers replaced, the
    /// database untouched), back to one replica, a bigger database volume (extended in place).
    /// Each plan changes only what the manifest change implies; each apply converges.
    @Test func dayTwoChangesOnRackspaceTouchOnlyWhatChanged() async throws {
        let ws = try await Self.workspace(example: "dev-rax.yaml")
        defer { ws.stop() }
        let path = ws.folder.path("pod.yaml")
        let original = try String(contentsOfFile: path, encoding: .utf8)
        func write(_ text: String) throws { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        let steps = PlanSteps(folder: ws.folder.url, environment: ws.environment)
        let store = FileStateStore(path: ws.folder.path("catalyze.lock.json"))
        func host(_ name: String) throws -> String? {
            try store.load()?.resources[ResourceAddress(region: "primary", kind: .instance, name: name)]?.attributes["host"]
        }
        try await steps.converge("first apply")
        let firstHost = try host("app01")

        let two = original.replacingOccurrences(of: "    replicas: 1", with: "    replicas: 2")
        try write(two)
        #expect(try await steps.actions() == ["primary/instance.app02": "create", "primary/lb_target.app02": "create"])
        try await steps.converge("scale up")
        #expect(try host("app01") == firstHost, "no churn")
        #expect(try host("app02") != nil && host("app02") != firstHost, "the new replica on a host of its own")

        // A new image rolls app01, then app02: each new node passes the balancer's health check
        // (mimic's never does by itself; `passNodeHealthChecks` plays the monitor, through mimic's
        // CLB control API) before the next old node goes, and one node serves at every moment.
        let rollout = two.replacingOccurrences(of: "web:dev", with: "web:dev-2")
        try write(rollout)
        let replaced = try await steps.actions()
        #expect(replaced["primary/instance.app01"] == "replace" && replaced["primary/instance.app02"] == "replace", "\(replaced)")
        #expect(!replaced.keys.contains { $0.contains("db01") || $0.contains("volume") }, "\(replaced)")
        let plan = try await ws.catalyze("plan")
        // mimic's fleet has room beside the group: each member is made before its old one goes.
        #expect(plan.stdout.contains("acme-dev/primary/app: app01 (1/2, create-before-destroy) → app02 (2/2, create-before-destroy)"),
                "\(plan.stdout)")
        let mimic = try RackspaceMimic()
        let once = DoneFlag()
        once.raise()
        _ = try await mimic.passNodeHealthChecks(tenant: ws.tenant, until: once)  // the first apply's nodes serve
        let before = try #require(try store.load())
        let done = DoneFlag()
        async let polls = mimic.passNodeHealthChecks(tenant: ws.tenant, until: done)
        let applied = try await ws.catalyze("apply", "--auto-approve", "--health-timeout", "60s")
        done.raise()
        let readings = try await polls
        try #require(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
        #expect(try await ws.catalyze("plan", "--detailed-exitcode").status == 0)
        let after = try #require(try store.load())
        func node(_ lockfile: Lockfile, _ name: String) throws -> Int {
            let id = try #require(lockfile.resources[ResourceAddress(region: "primary", kind: .lbTarget, name: name)]?.cloudID)
            return try #require(Int(id.split(separator: "/").last ?? ""))
        }
        let (old1, old2, new1, new2) = (try node(before, "app01"), try node(before, "app02"), try node(after, "app01"), try node(after, "app02"))
        #expect(Set([old1, old2]).isDisjoint(with: [new1, new2]), "both nodes made anew")
        let new1Online = readings.firstIndex { $0.contains { $0.id == new1 && $0.status == "ONLINE" } }
        let old2Gone = readings.firstIndex { poll in !poll.isEmpty && !poll.contains { $0.id == old2 } }
        #expect(new1Online != nil && old2Gone != nil && new1Online! < old2Gone!,
                "old app02's node went only after new app01's was ONLINE: \(String(describing: new1Online)) < \(String(describing: old2Gone))")
        #expect(readings.allSatisfy { $0.contains { $0.status == "ONLINE" } }, "a node served at every poll: \(readings)")

        try write(rollout.replacingOccurrences(of: "    replicas: 2", with: "    replicas: 1"))
        #expect(try await steps.actions() == ["primary/instance.app02": "delete", "primary/lb_target.app02": "delete"])
        try await steps.converge("scale down")

        // A bigger database volume: Cloud Block Storage extends only a detached volume (os-extend
        // at Cinder's base microversion; catalyze's mimic extension models that), and catalyze does
        // not take a running database's disk away: apply refuses, saying why and what to do, and
        // changes nothing. Detached by hand, the next apply grows it and attaches it back.
        try write(rollout.replacingOccurrences(of: "    replicas: 2", with: "    replicas: 1").replacingOccurrences(of: "size: 20GiB", with: "size: 40GiB"))
        #expect(try await steps.actions() == ["primary/volume.db01": "update"])
        let refused = try await ws.catalyze("apply", "--auto-approve")
        #expect(refused.status == 1 && refused.stderr.contains("grows a volume only while it is detached"), "\(refused.stderr)")
        let stored = try #require(try store.load())
        let volume = try #require(stored.resources[ResourceAddress(region: "primary", kind: .volume, name: "db01")])
        let server = try #require(stored.resources[ResourceAddress(region: "primary", kind: .instance, name: "db01")])
        #expect(volume.attributes["size_gib"] == "20" && stored.journal.isEmpty, "nothing changed, nothing pending")
        let session = try await MimicSession.authenticate(tenantID: ws.tenant)
        let attachment = try session.endpoint(name: "cloudServersOpenStack", region: "ORD")
            .appendingPathComponent("servers/\(server.cloudID)/os-volume_attachments/\(volume.cloudID)")
        #expect(try await session.send("DELETE", attachment).status == 202)
        let regrown = try await steps.actions()
        #expect(regrown == ["primary/volume.db01": "update", "primary/attachment.db01": "create"], "\(regrown)")
        try await steps.converge("volume growth")
        #expect(try store.load()?.resources[volume.address]?.attributes["size_gib"] == "40")
        #expect(try await session.send("GET", attachment).status == 200, "attached back")

        // The balancer changed in place: a new health-check path, then TLS passed through to the
        // containers (protocol HTTPS on 443, a CONNECT monitor). Each converges: the balancer's own
        // settings and the metadata refresh reads them back from are both updated (catalyze's mimic
        // extension adds CLB attribute and metadata updates).
        let grown = try String(contentsOfFile: ws.folder.path("pod.yaml"), encoding: .utf8)
        let checked = grown.replacingOccurrences(
            of: "    - { protocol: http, port: 80, targetPort: 8080 }\n",
            with: "    - { protocol: http, port: 80, targetPort: 8080 }\n  healthCheck: { path: /ready, port: 8080 }\n")
        try write(checked)
        #expect(try await steps.actions() == ["primary/load_balancer.main": "update"])
        try await steps.converge("health check")
        try write(grown.replacingOccurrences(
            of: "    - { protocol: http, port: 80, targetPort: 8080 }\n",
            with: "    - { protocol: tls-passthrough, port: 443, targetPort: 8443 }\n"))
        #expect(try await steps.actions()["primary/load_balancer.main"] == "update")
        try await steps.converge("passthrough")
        let balancer = try #require(try store.load()?.resources[ResourceAddress(region: "primary", kind: .loadBalancer, name: "main")])
        let details = try await session.send(
            "GET", try session.endpoint(name: "cloudLoadBalancers", region: "ORD").appendingPathComponent("loadbalancers/\(balancer.cloudID)"))
        let live = try details.json()["loadBalancer"] as? [String: Any]
        #expect(live?["protocol"] as? String == "HTTPS" && live?["port"] as? Int == 443, "\(String(describing: live))")

        // Customer access to logging switched by an API call alone (a Neutron security-group rule,
        // no redeploy), then back; the plan is clean after each.
        let exposed = try await ws.catalyze("access", "expose", "logging", "--cidr", "192.0.2.0/24")
        #expect(exposed.status == 0, "\(exposed.stdout)\n\(exposed.stderr)")
        #expect(try await ws.catalyze("plan", "--detailed-exitcode").status == 0, "clean after expose")
        let rule = try #require(try store.load()?.resources.values.first { $0.kind == .firewallRule && $0.attributes["purpose"] == "logging" })
        #expect(rule.attributes["cidr"] == "192.0.2.0/24")
        let concealed = try await ws.catalyze("access", "conceal", "logging")
        #expect(concealed.status == 0, "\(concealed.stdout)\n\(concealed.stderr)")
        #expect(try await ws.catalyze("plan", "--detailed-exitcode").status == 0, "clean after conceal")
        #expect(try store.load()?.resources.values.contains { $0.kind == .firewallRule && $0.attributes["purpose"] == "logging" } == false)

        // Backups switched on for a running pod (the vault encrypted with the customer's passphrase),
        // made more frequent, then switched off: each converges, and off leaves no configuration.
        let current = try String(contentsOfFile: ws.folder.path("pod.yaml"), encoding: .utf8)
        let daily = current.replacingOccurrences(
            of: "backup:\n  enabled: false", with: "backup:\n  enabled: true\n  interval: 24h\n  passphrase: env:ACME_BACKUP_PASSPHRASE")
        try write(daily)
        #expect(try await steps.actions() == ["primary/backup_plan.main": "create"])
        try await steps.converge("backup on")
        #expect(try await Self.mimicInventory(ws, pod: "acme-dev")["backup_configuration"] == 1)
        #expect(try await Self.agentEncryption(ws).values.contains { $0.encrypted && $0.sha256 == Self.backupPassphraseSHA256 })
        try write(daily.replacingOccurrences(of: "  interval: 24h", with: "  interval: 6h"))
        #expect(try await steps.actions() == ["primary/backup_plan.main": "update"])
        try await steps.converge("backup every 6 h")
        #expect(try store.load()?.resources[ResourceAddress(region: "primary", kind: .backupPlan, name: "main")]?.attributes["interval"] == "6")
        try write(current)
        #expect(try await steps.actions() == ["primary/backup_plan.main": "delete"])
        try await steps.converge("backup off")
        #expect(try await Self.mimicInventory(ws, pod: "acme-dev")["backup_configuration"] == 0)

        #expect(try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data").status == 0)
        #expect(try await Self.mimicInventory(ws, pod: "acme-dev").values.allSatisfy { $0 == 0 }, "nothing of the pod left in mimic")
    }

    /// `dev-rax.yaml` with two app replicas, applied: the workspace, its manifest path and text, the
    /// plan steps, the lockfile's store and mimic (the rolling tests start here).
    static func twoAppsServing() async throws -> (
        ws: Workspace, path: String, manifest: String, steps: PlanSteps, store: FileStateStore, mimic: RackspaceMimic
    ) {
        let ws = try await workspace(example: "dev-rax.yaml")
        let path = ws.folder.path("pod.yaml")
        let two = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "    replicas: 1", with: "    replicas: 2")
        try two.write(toFile: path, atomically: true, encoding: .utf8)
        let steps = PlanSteps(folder: ws.folder.url, environment: ws.environment)
        do {
            try await steps.converge("first apply")
            return (ws, path, two, steps, FileStateStore(path: ws.folder.path("catalyze.lock.json")), try RackspaceMimic())
        } catch {
            ws.stop()
            throw error
        }
    }

    /// A new image whose containers never pass the balancer's health check: the rollout stops at
    /// app01 within --health-timeout, exit 1 naming its target and the node's status; app02's old
    /// node stays on the balancer and serving; once the check passes, the next apply finishes.
    @Test func aNodeThatNeverComesOnlineStopsTheRolloutOnRackspace() async throws {
        let (ws, path, two, _, store, mimic) = try await Self.twoAppsServing()
        defer { ws.stop() }
        let once = DoneFlag()
        once.raise()
        let first = try await mimic.passNodeHealthChecks(tenant: ws.tenant, until: once)
        let serving = Set(first.last?.map(\.address) ?? [])
        #expect(serving.count == 2, "\(first)")
        let before = try #require(try store.load())

        try two.replacingOccurrences(of: "web:dev", with: "web:dev-2").write(toFile: path, atomically: true, encoding: .utf8)
        let done = DoneFlag()
        async let polls = mimic.passNodeHealthChecks(tenant: ws.tenant, failing: { !serving.contains($0) }, until: done)
        let failed = try await ws.catalyze("apply", "--auto-approve", "--health-timeout", "2s")
        done.raise()
        let readings = try await polls
        #expect(failed.status == 1, "\(failed.stdout)\n\(failed.stderr)")
        let server = try #require(try store.load()?.resources[ResourceAddress(region: "primary", kind: .instance, name: "app01")]?.cloudID)
        #expect(failed.stderr.contains("primary/lb_target.app01: server \(server) (primary/instance.app01) not healthy after 2 s")
                && failed.stderr.contains("OFFLINE: condition ENABLED"), "\(failed.stderr)")
        let stopped = try #require(try store.load())
        let app02 = ResourceAddress(region: "primary", kind: .lbTarget, name: "app02")
        #expect(stopped.resources[app02] == before.resources[app02], "app02's target untouched")
        let oldNode = try #require(Int(before.resources[app02]?.cloudID.split(separator: "/").last ?? ""))
        #expect(readings.allSatisfy { $0.contains { $0.id == oldNode && $0.status == "ONLINE" } }, "app02's old node served throughout: \(readings)")

        let healthy = DoneFlag()
        async let passing = mimic.passNodeHealthChecks(tenant: ws.tenant, until: healthy)
        let applied = try await ws.catalyze("apply", "--auto-approve", "--health-timeout", "60s")
        healthy.raise()
        _ = try await passing
        #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
        #expect(try await ws.catalyze("plan", "--detailed-exitcode").status == 0)
        #expect(try store.load()?.resources[app02]?.cloudID != before.resources[app02]?.cloudID, "app02 rolled after app01 passed")
    }

    /// The lockfile lost after an apply on Rackspace: the next plan refuses, naming the lost
    /// lockfile's lineage; `import --from-lineage` records every resource it finds by its metadata
    /// (servers on the hosts they run on), nothing is made again, and the plan after is clean.
    @Test func aLostLockfileIsRebuiltFromRackspace() async throws {
        let ws = try await Self.workspace(example: "dev-rax.yaml")
        defer { ws.stop() }
        var inventory: [String: Int] = [:]
        _ = try await PlanSteps(folder: ws.folder.url, environment: ws.environment).rebuildLostLockfile {
            inventory = try await Self.mimicInventory(ws, pod: "acme-dev")
        }
        #expect(try await Self.mimicInventory(ws, pod: "acme-dev") == inventory, "nothing made twice")
        #expect(try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data").status == 0)
        #expect(try await Self.mimicInventory(ws, pod: "acme-dev").values.allSatisfy { $0 == 0 })
    }

    /// `apply` SIGKILLed while a server is still building (mimic's `build` behaviour holds db01 in
    /// BUILD until its clock moves): Nova has no idempotency token, so the next apply must find the
    /// server by its `catalyze:op` metadata, not make a second one. It finishes the pod, the plan
    /// after is clean, mimic holds one server per instance, and destroy leaves nothing.
    @Test func killedMidApplyOnRackspaceResumesWithoutASecondServer() async throws {
        let ws = try await Self.workspace(example: "dev-rax.yaml")
        defer { ws.stop() }
        let mimic = try RackspaceMimic()
        let slow = try await mimic.addCreationBehavior(tenant: ws.tenant, nameRegex: ".*-db01$", name: "build", parameters: ["duration": 300])
        let steps = PlanSteps(folder: ws.folder.url, environment: ws.environment)
        let store = FileStateStore(path: ws.folder.path("catalyze.lock.json"))
        let db01 = ResourceAddress(region: "primary", kind: .instance, name: "db01")
        let session = try await MimicSession.authenticate(tenantID: ws.tenant)
        let servers = try session.endpoint(name: "cloudServersOpenStack", region: "ORD").appendingPathComponent("servers/detail")
        /// The id of the db01 server mimic holds, if any (in BUILD until the test says otherwise).
        func building() async throws -> String? {
            let listed = try await session.send("GET", servers).json()["servers"] as? [[String: Any]] ?? []
            return listed.first { ($0["name"] as? String ?? "").hasSuffix("-db01") && $0["status"] as? String != "DELETED" }?["id"] as? String
        }
        let reason = try await steps.killed(["apply", "--auto-approve"]) {
            guard let saved = try? store.load(), saved.journal.contains(where: { $0.address == db01 }) else { return false }
            return try await building() != nil
        }
        #expect(reason == .uncaughtSignal, "killed while db01 was building")
        let killed = try #require(try store.load())
        #expect(killed.journal.contains { $0.address == db01 } && killed.resources[db01] == nil, "db01's create was in flight")
        // The build finishes, as it would have in the cloud meanwhile (set for this tenant only: a
        // tick of mimic's clock would end other tests' builds too); later servers build at once.
        let server = try #require(try await building(), "the killed run's db01 server exists")
        try await mimic.setServerStatus(tenant: ws.tenant, serverID: server, status: "ACTIVE")
        try await mimic.removeCreationBehavior(tenant: ws.tenant, id: slow)

        try await steps.converge("resumed")
        let lockfile = try #require(try store.load())
        #expect(lockfile.journal.isEmpty)
        let inventory = try await Self.mimicInventory(ws, pod: "acme-dev")
        #expect(inventory["instance"] == lockfile.resources.values.filter { $0.kind == .instance }.count, "one server per instance: \(inventory)")
        #expect(try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data").status == 0)
        #expect(try await Self.mimicInventory(ws, pod: "acme-dev").values.allSatisfy { $0 == 0 })
    }

    /// Encryption verified, not assumed: a hipaa pod naming a volume type without an encryption spec
    /// (SSD, as Rackspace's public types are; mimic plugin catalyze_block_storage.py) is refused by
    /// `plan` before anything is proposed; naming the encrypting type (LUKS) plans and applies.
    @Test func aHipaaPodOnANonEncryptingVolumeTypeIsRefusedAtPlanTime() async throws {
        let ws = try await Self.workspace(example: "dr-cross-cloud.yaml", aws: true)
        defer { ws.stop() }
        let manifest = ws.folder.path("pod.yaml")
        let original = try String(contentsOfFile: manifest, encoding: .utf8)
        func volumeType(_ name: String) throws {
            let text = original.replacingOccurrences(of: "encryption:\n  enabled: true\n", with: "encryption:\n  enabled: true\n  volumeType: \(name)\n")
            #expect(text != original)
            try text.write(toFile: manifest, atomically: true, encoding: .utf8)
        }
        try volumeType("SSD")
        let refused = try await ws.catalyze("plan", "--detailed-exitcode")
        #expect(refused.status == 1, "refused at plan time:\n\(refused.stdout)\n\(refused.stderr)")
        #expect(refused.stderr.contains("primary/key.storage") && refused.stderr.contains("volume type 'SSD' in ORD does not encrypt"), "\(refused.stderr)")
        #expect(refused.stderr.contains("set encryption.volumeType to a type that encrypts ('LUKS' in ORD)"), "\(refused.stderr)")
        #expect(try await Self.live(ws, pod: "acme-dr").isEmpty, "nothing made")

        try volumeType("LUKS")
        let planned = try await ws.catalyze("plan", "--out", "pod.plan", "--detailed-exitcode")
        #expect(planned.status == 2, "plans: \(planned.stderr)")
        let applied = try await ws.catalyze("apply", "pod.plan")
        try #require(applied.status == 0, "apply failed:\n\(applied.stdout)\n\(applied.stderr)")
        let lockfile = try #require(try FileStateStore(path: ws.folder.path("catalyze.lock.json")).load())
        let key = ResourceAddress(region: "primary", kind: .key, name: "storage")
        #expect(lockfile.resources[key]?.outputs["name"] == "LUKS" && lockfile.resources[key]?.outputs["provider"] == "luks")
        #expect(try await ws.catalyze("plan", "--detailed-exitcode").status == 0, "clean after apply")
        #expect(try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data").status == 0)
    }

    /// A rolling replacement changes the balancer's nodes one after another; a real Cloud Load
    /// Balancer is `PENDING_UPDATE` (immutable, 422) after each change. Held so after every change
    /// (our mimic plugin's control, as the real service does), the rollout waits each hold out.
    @Test func aRollingReplacementWaitsOutTheBalancersPendingUpdate() async throws {
        let (ws, path, two, _, store, mimic) = try await Self.twoAppsServing()
        defer { ws.stop() }
        let once = DoneFlag()
        once.raise()
        _ = try await mimic.passNodeHealthChecks(tenant: ws.tenant, until: once)
        let before = try #require(try store.load())
        let balancer = try #require(before.sortedRecords.first { $0.kind == .loadBalancer }?.cloudID)
        try await mimic.holdLoadBalancer(tenant: ws.tenant, id: balancer, seconds: 1, afterEachChange: 1)

        try two.replacingOccurrences(of: "web:dev", with: "web:dev-2").write(toFile: path, atomically: true, encoding: .utf8)
        let done = DoneFlag()
        async let polls = mimic.passNodeHealthChecks(tenant: ws.tenant, until: done)
        let start = ContinuousClock.now
        let applied = try await ws.catalyze("apply", "--auto-approve", "--health-timeout", "60s")
        let took = ContinuousClock.now - start
        done.raise()
        _ = try await polls
        try #require(applied.status == 0, "waited out, not failed:\n\(applied.stdout)\n\(applied.stderr)")
        #expect(took >= .seconds(4), "four node changes, each holding the balancer 1 s: \(took)")
        #expect(try await ws.catalyze("plan", "--detailed-exitcode").status == 0)
        let after = try #require(try store.load())
        for name in ["app01", "app02"] {
            let target = ResourceAddress(region: "primary", kind: .lbTarget, name: name)
            #expect(after.resources[target]?.cloudID != before.resources[target]?.cloudID, "\(name)'s node replaced")
        }
        try await mimic.releaseLoadBalancer(tenant: ws.tenant, id: balancer)
        #expect(try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data").status == 0)
    }
}
