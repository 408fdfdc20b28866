import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// The whole tool against a real moto server: `catalyze apply` of examples/hipaa-aws.yaml, a clean
/// second plan, `destroy` leaving nothing behind, and no secret anywhere on disk.
/// Each test runs its own moto (the binary cannot send moto's per-test account header).
@Suite(.serialized) struct EndToEndAWSTests {
    static let secretKey = "e2e-SECRET-access-key-7f3a"
    static let dbPassword = "e2e-db-password-9c1d"

    struct Workspace {
        let moto: PrivateMoto
        let folder: TemporaryDirectory
        let environment: [String: String]

        func catalyze(_ arguments: String...) async throws -> CommandResult {
            try await runCommand(catalyzeBinary, arguments, in: folder.url, environment: environment)
        }
    }

    /// A private moto seeded with `hosts` fleet hosts per region, and a folder holding `example` as
    /// pod.yaml; `examples` is the folder the example comes from (the upgrade test passes the previous release's).
    static func workspace(
        example: String = "hipaa-aws.yaml", regions: [String] = ["us-east-1", "us-west-2"], hosts: Int = 3,
        examples: URL = repositoryRoot.appendingPathComponent("examples")
    ) async throws -> Workspace {
        let moto = try await PrivateMoto.start()
        let seed = try await runCommand(
            PrivateMoto.python,
            [repositoryRoot.appendingPathComponent("scripts/seed-aws-fleet.py").path, moto.url.absoluteString]
                + regions + ["--hosts", "\(hosts)"])
        try #require(seed.status == 0, "seeding failed: \(seed.stderr)")
        let folder = try TemporaryDirectory(prefix: "catalyze-e2e")
        try FileManager.default.copyItem(
            atPath: examples.appendingPathComponent(example).path, toPath: folder.path("pod.yaml"))
        try await TLSBundle.write(in: folder, as: ["acme-prod.pem", "acme-dr.pem"])
        let environment = [
            "AWS_ENDPOINT_URL": moto.url.absoluteString, "AWS_ACCESS_KEY_ID": "AKIDE2ETEST",
            "AWS_SECRET_ACCESS_KEY": secretKey, "ACME_DB_PASSWORD": dbPassword, "NO_COLOR": "1",
            "AWS_PROFILE": "", "AWS_SESSION_TOKEN": "",
        ]
        return Workspace(moto: moto, folder: folder, environment: environment)
    }

    static func liveResources(_ ws: Workspace, pod: String, regions: [String]) async throws -> [LiveResource] {
        let driver = try AWSDriver.fromEnvironment(ws.environment, transport: CurlTransport())
        var all: [LiveResource] = []
        for region in regions { all += try await driver.refresh(RefreshRequest(pod: pod, region: region)).resources }
        return all
    }

    /// `show` renders the saved plan (human and plan --json's shape); `output` prints the applied
    /// pod's endpoints from the lockfile, one value alone for scripts, and names the outputs there
    /// are when asked for one that is not.
    static func showAndOutput(_ ws: Workspace, lockfile: Lockfile) async throws {
        let shown = try await ws.catalyze("show", "pod.plan")
        #expect(shown.status == 0 && shown.stdout.contains("to add, 0 to change, 0 to destroy."), "\(shown.stderr)")
        let shownJSON = try await ws.catalyze("show", "pod.plan", "--json")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(shownJSON.stdout.utf8)) as? [String: Any], "\(shownJSON.stderr)")
        try JSONSchemaTests.expectConforms(shownJSON.stdout, to: "plan", "show --json")
        // The saved file is that document, plus the release that made it and what apply carries out.
        let fileText = try String(contentsOfFile: ws.folder.path("pod.plan"), encoding: .utf8)
        try JSONSchemaTests.expectConforms(fileText, to: "plan", "the plan file of plan --out")
        var file = try #require(try JSONSerialization.jsonObject(with: Data(fileText.utf8)) as? [String: Any])
        #expect(file["written_by"] as? String == Release.version && file["execution"] is [String: Any])
        file["written_by"] = nil
        file["execution"] = nil
        #expect(NSDictionary(dictionary: file).isEqual(to: plan), "plan file = show --json + written_by + execution")
        let explained = try await ws.catalyze("plan", "--json", "--explain")
        try JSONSchemaTests.expectConforms(explained.stdout, to: "plan", "plan --json --explain")
        let changes = try #require(plan["changes"] as? [[String: Any]])
        #expect((plan["summary"] as? [String: Int])?["add"] == changes.count && !changes.isEmpty)

        let balancers = lockfile.sortedRecords.filter { $0.kind == .loadBalancer && $0.address.region == "primary" }
        let dns = try #require(balancers.first?.outputs["dns_name"], "the primary balancer's DNS name is recorded")
        let listed = try await ws.catalyze("output", "--json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any], "\(listed.stderr)")
        try JSONSchemaTests.expectConforms(listed.stdout, to: "output", "output --json")
        let outputs = try #require(document["outputs"] as? [[String: Any]])
        #expect(outputs.first { $0["name"] as? String == "primary.load_balancer" }?["value"] as? String == dns)
        #expect(outputs.contains { ($0["name"] as? String ?? "").hasSuffix(".app01.private_ip") })
        let one = try await ws.catalyze("output", "primary.load_balancer")
        #expect(one.status == 0 && one.stdout == dns + "\n", "just the value: \(one.stdout)")
        let stateList = try await ws.catalyze("state", "list", "--json")
        try JSONSchemaTests.expectConforms(stateList.stdout, to: "state-list", "state list --json")
        let stateShow = try await ws.catalyze("state", "show", balancers[0].address.description, "--json")
        try JSONSchemaTests.expectConforms(stateShow.stdout, to: "state-show", "state show --json")
        let unknown = try await ws.catalyze("output", "primary.nothing")
        #expect(unknown.status == 1 && unknown.stderr.contains("no output named 'primary.nothing'")
            && unknown.stderr.contains("primary.load_balancer"), "\(unknown.stderr)")
    }

    @Test func applyPlanDestroyRoundTrip() async throws {
        let ws = try await Self.workspace()
        defer { ws.moto.stop(); ws.folder.remove() }

        let planned = try await ws.catalyze("plan", "--out", "pod.plan", "--detailed-exitcode")
        #expect(planned.status == 2, "a first plan has changes: \(planned.stderr)")
        #expect(planned.stdout.contains("to add, 0 to change, 0 to destroy."))

        let applied = try await ws.catalyze("apply", "pod.plan")
        try #require(applied.status == 0, "apply failed:\n\(applied.stdout)\n\(applied.stderr)")
        #expect(applied.stdout.contains("Apply complete!"))

        // The lockfile: 0600, complete, and it matches the cloud exactly.
        let lockPath = ws.folder.path("catalyze.lock.json")
        let mode = try FileManager.default.attributesOfItem(atPath: lockPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let lockfile = try #require(try FileStateStore(path: lockPath).load())
        #expect(lockfile.journal.isEmpty, "no pending operation after a complete apply")
        try await Self.showAndOutput(ws, lockfile: lockfile)
        let live = try await Self.liveResources(ws, pod: "acme-prod", regions: ["us-east-1", "us-west-2"])
        #expect(Set(live.map(\.address)) == Set(lockfile.resources.keys), "moto holds exactly the lockfile's resources")
        for item in live { #expect(lockfile.resources[item.address]?.cloudID == item.resource.cloudID) }

        // Anti-affinity held: app01 and app02 on different physical hosts, as moto reports them.
        for region in ["primary", "dr"] {
            let hosts = ["app01", "app02"].compactMap { name in
                live.first { $0.address == ResourceAddress(region: region, kind: .instance, name: name) }?.resource.attributes["host"]
            }
            #expect(hosts.count == 2 && hosts[0] != hosts[1], "\(region): app01/app02 on \(hosts)")
        }
        try await Self.expectRoutableNetwork(ws, lockfile: lockfile)

        // Volumes encrypted with the pod's own key.
        for record in lockfile.sortedRecords where record.kind == .volume {
            #expect(record.attributes["encrypted"] == "true")
            let keyAddress = try #require(record.attributes["key"].flatMap(ResourceAddress.init(parsing:)))
            #expect(lockfile.resources[keyAddress] != nil)
        }
        // Asked of moto: every volume, each instance's root included, under its region's pod key.
        let checked = try await PodEncryptionCheck.everyVolumeUnderThePodKey(
            try Self.backupClient(ws), lockfile: lockfile, regions: ["primary": "us-east-1", "dr": "us-west-2"])
        #expect(checked.roots == lockfile.resources.values.filter { $0.kind == .instance }.count && checked.volumes > 0, "\(checked)")
        for region in ["us-east-1", "us-west-2"] {
            #expect(try await PodEncryptionCheck.encryptionByDefault(try Self.backupClient(ws), region: region), "EBS encryption by default on in \(region)")
        }

        // Backups: an AWS Backup plan per region, the primary's copying into the DR region's vault,
        // each vault under its region's pod key, each plan with its selection.
        let primaryBackup = try #require(lockfile.resources[ResourceAddress(region: "primary", kind: .backupPlan, name: "main")])
        let drBackup = try #require(lockfile.resources[ResourceAddress(region: "dr", kind: .backupPlan, name: "main")])
        #expect(primaryBackup.attributes["copy_to"] == "us-west-2" && primaryBackup.attributes["key"] == "primary/key.storage")
        #expect(primaryBackup.attributes["interval"] == "24" && primaryBackup.attributes["retention_days"] == "30")
        let backup = try Self.backupClient(ws)
        let rule = try await Self.backupRule(backup, plan: primaryBackup.cloudID, region: "us-east-1")
        let copy = (rule["CopyActions"] as? [[String: Any]])?.first?["DestinationBackupVaultArn"] as? String
        #expect(copy == drBackup.outputs["vault_arn"], "the primary's backups are copied to the DR vault")
        for (record, region) in [(primaryBackup, "us-east-1"), (drBackup, "us-west-2")] {
            let selections = try await backup.rest(
                .backup, "ListBackupSelections", method: "GET", path: "/backup/plans/\(record.cloudID)/selections/", region: region)
            #expect((selections["BackupSelectionsList"] as? [[String: Any]])?.count == 1, "\(record.address) selects the pod's volumes")
        }

        let again = try await ws.catalyze("plan", "--detailed-exitcode")
        #expect(again.status == 0, "second plan must be clean:\n\(again.stdout)\n\(again.stderr)")
        #expect(again.stdout.contains("No changes."))

        // The VPN's static route (remoteCidrs) deleted outside catalyze: the plan shows the drift
        // and apply adds the route again, in place. (moto's routes are catalyze's extension of moto.)
        let vpn = try #require(lockfile.resources[ResourceAddress(region: "primary", kind: .vpn, name: "main")])
        #expect(vpn.attributes["remote_cidrs"] == "192.168.0.0/16")
        let ec2 = try Self.backupClient(ws)
        func routes() async throws -> [String] {
            let reply = try await ec2.query(.ec2, "DescribeVpnConnections", region: "us-east-1", ["VpnConnectionId.1": vpn.cloudID])
            return reply.list("vpnConnectionSet").first?.list("routes").compactMap { $0.string("destinationCidrBlock") } ?? []
        }
        #expect(try await routes() == ["192.168.0.0/16"])
        _ = try await ec2.query(
            .ec2, "DeleteVpnConnectionRoute", region: "us-east-1", ["VpnConnectionId": vpn.cloudID, "DestinationCidrBlock": "192.168.0.0/16"])
        let drifted = try await ws.catalyze("plan", "--detailed-exitcode")
        #expect(drifted.status == 2, "\(drifted.stdout)\n\(drifted.stderr)")
        #expect(drifted.stdout.contains("primary/vpn.main") && drifted.stdout.contains("0 to add, 1 to change, 0 to destroy."))
        let repaired = try await ws.catalyze("apply", "--auto-approve")
        #expect(repaired.status == 0, "\(repaired.stdout)\n\(repaired.stderr)")
        #expect(try await routes() == ["192.168.0.0/16"])
        #expect(try FileStateStore(path: lockPath).load()?.resources[vpn.address]?.cloudID == vpn.cloudID, "updated, not replaced")
        #expect(try await ws.catalyze("plan", "--detailed-exitcode").status == 0, "clean again")

        // No secret reached the lockfile, its backup or the plan file.
        let pem = try String(contentsOfFile: ws.folder.path("certs/key.pem"), encoding: .utf8)
        let keyLine = pem.split(separator: "\n").dropFirst().first.map(String.init) ?? "unreachable"
        for file in ["catalyze.lock.json", "catalyze.lock.json.backup", "pod.plan"] {
            let text = (try? String(contentsOfFile: ws.folder.path(file), encoding: .utf8)) ?? ""
            #expect(!text.contains(Self.secretKey) && !text.contains(Self.dbPassword) && !text.contains(keyLine),
                    "\(file) holds a secret")
        }
        #expect(!applied.stdout.contains(Self.secretKey) && !applied.stderr.contains(Self.secretKey))

        let destroyed = try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data")
        #expect(destroyed.status == 0, "destroy failed:\n\(destroyed.stdout)\n\(destroyed.stderr)")
        let after = try await Self.liveResources(ws, pod: "acme-prod", regions: ["us-east-1", "us-west-2"])
        #expect(after.isEmpty, "left behind: \(after.map(\.address))")
        #expect(try FileStateStore(path: lockPath).load()?.resources.isEmpty == true)
        for region in ["us-east-1", "us-west-2"] {
            let plans = try await backup.rest(.backup, "ListBackupPlans", method: "GET", path: "/backup/plans/", region: region)
            #expect((plans["BackupPlansList"] as? [Any])?.isEmpty == true, "no backup plan left in \(region)")
            let vaults = try await backup.rest(.backup, "ListBackupVaults", method: "GET", path: "/backup-vaults/", region: region)
            #expect((vaults["BackupVaultList"] as? [Any])?.isEmpty == true, "no (empty) vault left in \(region)")
            // The account's setting, shared with its other pods: destroy leaves it on.
            #expect(try await PodEncryptionCheck.encryptionByDefault(backup, region: region), "EBS encryption by default still on in \(region)")
        }
    }

    /// The example's network, asked of moto directly in each region: its internet-facing load
    /// balancer spans two zones' public subnets, the VPC has exactly one internet gateway (the
    /// balancer is internet-facing), every private subnet's route table has the S3 endpoint's route
    /// (the private subnets' egress) and no route to the internet, and the VPN gateway's routes are
    /// propagated into it.
    static func expectRoutableNetwork(_ ws: Workspace, lockfile: Lockfile) async throws {
        let client = try backupClient(ws)
        for (region, cloudRegion) in [("primary", "us-east-1"), ("dr", "us-west-2")] {
            func record(_ kind: ResourceKind, _ name: String) throws -> ResourceRecord {
                try #require(lockfile.resources[ResourceAddress(region: region, kind: kind, name: name)], "\(region)/\(kind).\(name)")
            }
            let vpc = try record(.network, "main").cloudID
            let balancer = try await client.query(
                .elbv2, "DescribeLoadBalancers", region: cloudRegion, ["LoadBalancerArns.member.1": try record(.loadBalancer, "main").cloudID]
            ).list("DescribeLoadBalancersResult", "LoadBalancers").first
            let zones = balancer?.list("AvailabilityZones") ?? []
            #expect(Set(zones.compactMap { $0.string("ZoneName") }).count >= 2, "\(region): the balancer spans two zones")
            let publicSubnets = try Set(["public-1", "public-2"].map { try record(.subnet, $0).cloudID })
            #expect(Set(zones.compactMap { $0.string("SubnetId") }) == publicSubnets, "\(region): in the public subnets")
            let gateways = try await client.query(.ec2, "DescribeInternetGateways", region: cloudRegion, [
                "Filter.1.Name": "attachment.vpc-id", "Filter.1.Value.1": vpc,
            ]).list("internetGatewaySet")
            #expect(gateways.count == 1, "\(region): one internet gateway, for the internet-facing balancer")
            let subnets = try await client.query(.ec2, "DescribeSubnets", region: cloudRegion, ["Filter.1.Name": "vpc-id", "Filter.1.Value.1": vpc])
                .list("subnetSet")
            let tables = try await client.query(.ec2, "DescribeRouteTables", region: cloudRegion, ["Filter.1.Name": "vpc-id", "Filter.1.Value.1": vpc])
                .list("routeTableSet")
            let vgw = try record(.vpn, "main").outputs["vpn_gateway_id"]
            let privateSubnets = subnets.filter { !publicSubnets.contains($0.string("subnetId") ?? "") }
            #expect(privateSubnets.count == 2 && Set(privateSubnets.compactMap { $0.string("availabilityZone") }).count == 2,
                    "\(region): private subnets in two zones")
            for subnet in privateSubnets {
                let id = subnet.string("subnetId") ?? ""
                let table = try #require(
                    tables.first { $0.list("associationSet").contains { $0.string("subnetId") == id } }, "\(region): \(id) has a route table")
                let routes = table.list("routeSet")
                #expect(routes.contains { $0.string("destinationPrefixListId") != nil && $0.string("gatewayId")?.hasPrefix("vpce-") == true },
                        "\(region): \(id)'s egress (the S3 endpoint)")
                #expect(!routes.contains { $0.string("destinationCidrBlock") == "0.0.0.0/0" }, "\(region): \(id) has no route to the internet")
                #expect(table.list("propagatingVgwSet").compactMap { $0.string("gatewayId") } == [vgw], "\(region): VGW propagation on")
            }
        }
    }

    /// An AWS client for raw calls (AWS Backup, EC2) against the workspace's moto.
    static func backupClient(_ ws: Workspace) throws -> AWSClient {
        try AWSDriver.fromEnvironment(ws.environment, transport: CurlTransport()).client
    }

    /// The one rule of a backup plan, as AWS Backup holds it.
    static func backupRule(_ client: AWSClient, plan: String, region: String) async throws -> [String: Any] {
        let detail = try await client.rest(.backup, "GetBackupPlan", method: "GET", path: "/backup/plans/\(plan)/", region: region)
        return ((detail["BackupPlan"] as? [String: Any])?["Rules"] as? [[String: Any]])?.first ?? [:]
    }

    @Test func applyRefusesWithoutConfirmationOffTerminal() async throws {
        let ws = try await Self.workspace(regions: ["us-east-1", "us-west-2"])
        defer { ws.moto.stop(); ws.folder.remove() }
        let result = try await ws.catalyze("apply")
        #expect(result.status == 1)
        #expect(result.stderr.contains("--auto-approve"))
        #expect(!FileManager.default.fileExists(atPath: ws.folder.path("catalyze.lock.json")), "nothing written")
    }

    @Test func staleSavedPlanIsRefused() async throws {
        let ws = try await Self.workspace()
        defer { ws.moto.stop(); ws.folder.remove() }
        #expect(try await ws.catalyze("plan", "--out", "old.plan").status == 0)
        let applied = try await ws.catalyze("apply", "--auto-approve")
        try #require(applied.status == 0, "\(applied.stderr)")
        let stale = try await ws.catalyze("apply", "old.plan")
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("changed since the plan was made"))
        #expect(try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data").status == 0)
    }

    @Test func concurrentAppliesCannotBothWrite() async throws {
        let ws = try await Self.workspace()
        defer { ws.moto.stop(); ws.folder.remove() }
        async let first = ws.catalyze("apply", "--auto-approve")
        try await Task.sleep(for: .milliseconds(150))
        let second = try await ws.catalyze("apply", "--auto-approve")
        let one = try await first
        let statuses = [one.status, second.status].sorted()
        #expect(statuses == [0, 1], "exactly one apply may run: \(one.stderr) | \(second.stderr)")
        let loser = one.status == 1 ? one : second
        #expect(loser.stderr.contains("state is locked"), "the refused run names the lock: \(loser.stderr)")
        // Whatever the interleaving, the lockfile is whole and matches the cloud: the next plan is clean.
        let again = try await ws.catalyze("plan", "--detailed-exitcode")
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        #expect(try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data").status == 0)
    }

    @Test func interruptFinishesInFlightActionsAndSaves() async throws {
        let ws = try await Self.workspace()
        // 400 ms per request makes the apply slow enough to interrupt in the middle (an apply makes
        // few requests: at 150 ms it could be over by the time the interrupt comes).
        let proxy = try await FaultProxy.start(upstream: ws.moto.url, configuration: .init(latencyMs: 400))
        defer { proxy.stop(); ws.moto.stop(); ws.folder.remove() }
        var environment = ws.environment
        environment["AWS_ENDPOINT_URL"] = proxy.url.absoluteString
        // Interrupt once the first action is recorded (a fixed delay is too short on a loaded machine,
        // where the run may not have started creating yet).
        let store = FileStateStore(path: ws.folder.path("catalyze.lock.json"))
        let steps = PlanSteps(folder: ws.folder.url, environment: environment)
        let (reason, status) = try await steps.interrupt(["apply", "--auto-approve"], with: SIGINT) {
            guard let saved = try? store.load() else { return false }
            return !saved.resources.isEmpty
        }
        #expect(reason == .exit && status == 1, "an interrupted apply exits 1")
        let lockfile = try #require(try FileStateStore(path: ws.folder.path("catalyze.lock.json")).load())
        #expect(lockfile.journal.isEmpty, "in-flight actions finished and were recorded: \(lockfile.journal.map(\.address))")
        #expect(!lockfile.resources.isEmpty, "what was done is recorded")
        let rest = try await ws.catalyze("plan", "--detailed-exitcode")
        #expect(rest.status == 2, "what was not started is still planned")
        let resumed = try await ws.catalyze("apply", "--auto-approve")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let clean = try await ws.catalyze("plan", "--detailed-exitcode")
        #expect(clean.status == 0)
        #expect(try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data").status == 0)
    }
}

extension EndToEndAWSTests {
    /// Instances (running or pending), VPCs, subnets, security groups, volumes and KMS-backed
    /// resources tagged for `pod`, counted per `catalyze:address` straight from moto: a duplicate
    /// shows as a count above 1 (refresh would report one of them).
    static func copiesPerAddress(_ ws: Workspace, pod: String, regions: [String]) async throws -> [String: Int] {
        let client = try backupClient(ws)
        let filters = ["Filter.1.Name": "tag:\(CatalyzeTag.pod)", "Filter.1.Value.1": pod]
        var counts: [String: Int] = [:]
        for region in regions {
            let live = ["Filter.2.Name": "instance-state-name", "Filter.2.Value.1": "running", "Filter.2.Value.2": "pending"]
            let instances = try await client.query(.ec2, "DescribeInstances", region: region, filters.merging(live) { a, _ in a })
            for item in instances.list("reservationSet").flatMap({ $0.list("instancesSet") }) {
                counts[item.tags[CatalyzeTag.address] ?? "?", default: 0] += 1
            }
            for (action, set) in [("DescribeVpcs", "vpcSet"), ("DescribeSecurityGroups", "securityGroupInfo"), ("DescribeVolumes", "volumeSet")] {
                for item in try await client.query(.ec2, action, region: region, filters).list(set) {
                    // An instance's root volume carries the pod's tag and its instance's address
                    // (`catalyze:root-of`), not an address of its own: counted under its instance.
                    let address = item.tags[CatalyzeTag.address] ?? item.tags["catalyze:root-of"].map { "root of \($0)" } ?? "?"
                    counts["\(set):\(address)", default: 0] += 1
                }
            }
        }
        return counts
    }

    /// `apply` killed with SIGKILL in the middle (no handler runs, calls in flight): the lockfile on
    /// disk is whole, the kernel lock went with the process, and the next `apply` finishes the pod
    /// from the journal (in-flight creates are found by their `catalyze:op` tag, not made twice):
    /// a clean plan, exactly one cloud resource per address, and `destroy` leaves nothing. A
    /// duplicate made behind catalyze's back is then planned away.
    @Test func killedMidApplyResumesWithoutDuplicatesOrOrphans() async throws {
        let ws = try await Self.workspace()
        defer { ws.moto.stop(); ws.folder.remove() }
        /// A proxy adding 400 ms to every call, and the environment that sends the binary through it.
        func slowed() async throws -> (FaultProxy, [String: String]) {
            let proxy = try await FaultProxy.start(upstream: ws.moto.url, configuration: .init(latencyMs: 400))
            var environment = ws.environment
            environment["AWS_ENDPOINT_URL"] = proxy.url.absoluteString
            return (proxy, environment)
        }
        let (proxy, environment) = try await slowed()
        defer { proxy.stop() }
        // Kill once some resources are recorded while others are in flight (every call takes 400 ms).
        let store = FileStateStore(path: ws.folder.path("catalyze.lock.json"))
        let reason = try await PlanSteps(folder: ws.folder.url, environment: environment).killed(["apply", "--auto-approve"]) {
            guard let saved = try? store.load() else { return false }
            return saved.resources.count >= 3 && !saved.journal.isEmpty
        }
        #expect(reason == .uncaughtSignal, "the apply was killed, not finished")

        // What the proxy still held is dropped with it; what it had passed on lands in moto meanwhile.
        proxy.stop()
        try await Task.sleep(for: .seconds(1.5))
        let killed = try #require(try store.load(), "the lockfile on disk is whole after SIGKILL")
        #expect(!killed.resources.isEmpty)
        if !killed.journal.isEmpty {
            let listed = try await ws.catalyze("state", "list")
            #expect(listed.status == 0 && listed.stderr.contains("interrupted"), "pending calls are reported: \(listed.stderr)")
        }

        let resumed = try await ws.catalyze("apply", "--auto-approve")
        #expect(resumed.status == 0, "the next apply needs no force-unlock and finishes:\n\(resumed.stdout)\n\(resumed.stderr)")
        let clean = try await ws.catalyze("plan", "--detailed-exitcode")
        #expect(clean.status == 0, "\(clean.stdout)\n\(clean.stderr)")
        let lockfile = try #require(try store.load())
        #expect(lockfile.journal.isEmpty)
        let regions = ["us-east-1", "us-west-2"]
        let live = try await Self.liveResources(ws, pod: "acme-prod", regions: regions)
        #expect(Set(live.map(\.address)) == Set(lockfile.resources.keys), "moto holds exactly the lockfile's resources")
        let copies = try await Self.copiesPerAddress(ws, pod: "acme-prod", regions: regions)
        #expect(!copies.isEmpty && copies.values.allSatisfy { $0 == 1 }, "one cloud resource per address: \(copies)")

        // A second volume tagged primary/volume.db01 (a create that landed after its run was killed
        // and the next run had made it again; moto ignores ClientToken): the plan shows it, apply
        // deletes it and keeps the recorded one.
        let client = try Self.backupClient(ws)
        let volume = try #require(lockfile.resources[ResourceAddress(region: "primary", kind: .volume, name: "db01")])
        let original = try #require(try await client.query(.ec2, "DescribeVolumes", region: "us-east-1", ["VolumeId.1": volume.cloudID])
            .list("volumeSet").first)
        var parameters = ["AvailabilityZone": original.string("availabilityZone") ?? "us-east-1a", "Size": "1",
                          "TagSpecification.1.ResourceType": "volume"]
        for (n, (key, value)) in original.tags.sorted(by: { $0.key < $1.key }).enumerated() {
            parameters["TagSpecification.1.Tag.\(n + 1).Key"] = key
            parameters["TagSpecification.1.Tag.\(n + 1).Value"] = value
        }
        _ = try await client.query(.ec2, "CreateVolume", region: "us-east-1", parameters)
        let duplicate = try await ws.catalyze("plan", "--detailed-exitcode")
        #expect(duplicate.status == 2 && duplicate.stdout.contains("removing the duplicate")
            && duplicate.stdout.contains("0 to add, 0 to change, 1 to destroy."), "\(duplicate.stdout)\n\(duplicate.stderr)")
        // EBS encryption by default (the hipaa pod switched it on) encrypted the duplicate too, as
        // AWS would: removing it destroys data, so it needs the flag.
        #expect(try await ws.catalyze("apply", "--auto-approve", "--force-destroy-data").status == 0)
        #expect(try await ws.catalyze("plan", "--detailed-exitcode").status == 0)
        #expect(try store.load()?.resources[volume.address]?.cloudID == volume.cloudID, "the recorded volume stays")
        #expect(try await Self.copiesPerAddress(ws, pod: "acme-prod", regions: regions).values.allSatisfy { $0 == 1 })

        // destroy killed the same way: the next destroy finishes it and nothing is left.
        let (destroyProxy, destroyEnvironment) = try await slowed()
        defer { destroyProxy.stop() }
        let destroyKilled = try await PlanSteps(folder: ws.folder.url, environment: destroyEnvironment).killed(["destroy", "--auto-approve", "--force-destroy-data"]) {
            guard let saved = try? store.load() else { return false }
            return saved.resources.count < lockfile.resources.count - 2 && !saved.journal.isEmpty
        }
        #expect(destroyKilled == .uncaughtSignal, "the destroy was killed, not finished")
        destroyProxy.stop()
        try await Task.sleep(for: .seconds(1.5))
        let finished = try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data")
        #expect(finished.status == 0, "\(finished.stdout)\n\(finished.stderr)")
        #expect(try store.load()?.resources.isEmpty == true && store.load()?.journal.isEmpty == true)
        #expect(try await Self.liveResources(ws, pod: "acme-prod", regions: regions).isEmpty)
        #expect(try await Self.copiesPerAddress(ws, pod: "acme-prod", regions: regions).isEmpty, "nothing orphaned")
    }

    /// Day two on a running pod (one region): scale the app up and down, roll out a new image,
    /// grow the database volumes. Each plan changes exactly what the manifest change implies and
    /// nothing else (no churn of placed containers), each apply converges (a clean plan after it),
    /// the new replica lands on a host of its own, and destroy still leaves nothing.
    @Test func dayTwoChangesTouchOnlyWhatChanged() async throws {
        let ws = try await Self.workspace(regions: ["us-east-1"])
        defer { ws.moto.stop(); ws.folder.remove() }
        let manifest = ws.folder.path("pod.yaml")
        try FileManager.default.removeItem(atPath: manifest)
        let original = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Tests/Fixtures/pods/single-region-aws.yaml"), encoding: .utf8)
        func write(_ text: String) throws { try text.write(toFile: manifest, atomically: true, encoding: .utf8) }
        let steps = PlanSteps(folder: ws.folder.url, environment: ws.environment)
        try write(original)
        try await steps.converge("first apply")
        let store = FileStateStore(path: ws.folder.path("catalyze.lock.json"))
        let before = try #require(try store.load())
        func host(_ lockfile: Lockfile?, _ name: String) -> String? {
            lockfile?.resources[ResourceAddress(region: "primary", kind: .instance, name: name)]?.attributes["host"]
        }

        // Scale up: one instance and one load-balancer target more; nothing placed moves.
        let three = original.replacingOccurrences(of: "    replicas: 2\n    size: medium", with: "    replicas: 3\n    size: medium")
        try write(three)
        let up = try await steps.actions()
        #expect(up == ["primary/instance.app03": "create", "primary/lb_target.app03": "create"], "\(up)")
        try await steps.converge("scale up")
        let scaled = try store.load()
        let appHosts = ["app01", "app02", "app03"].compactMap { host(scaled, $0) }
        #expect(Set(appHosts).count == 3, "three replicas on three hosts: \(appHosts)")
        #expect(host(scaled, "app01") == host(before, "app01") && host(scaled, "db01") == host(before, "db01"), "no churn")

        // A new image: the app instances are replaced (their targets follow); databases untouched.
        try write(three.replacingOccurrences(of: "web:1.4.2", with: "web:1.5.0"))
        let rollout = try await steps.actions()
        #expect(Set(rollout.keys.filter { $0.contains("instance.") }) == ["primary/instance.app01", "primary/instance.app02", "primary/instance.app03"],
                "\(rollout)")
        #expect(rollout["primary/instance.app01"] == "replace" && !rollout.keys.contains { $0.contains("db0") }, "\(rollout)")
        try await steps.converge("image rollout")

        // Bigger app containers: each app instance is replaced (placed again, on three hosts still)
        // and its load-balancer target with it; nothing else changes.
        let large = three.replacingOccurrences(of: "web:1.4.2", with: "web:1.5.0")
            .replacingOccurrences(of: "    replicas: 3\n    size: medium", with: "    replicas: 3\n    size: large")
        try write(large)
        let resized = try await steps.actions()
        #expect(Set(resized.keys) == ["primary/instance.app01", "primary/instance.app02", "primary/instance.app03",
                                      "primary/lb_target.app01", "primary/lb_target.app02", "primary/lb_target.app03"], "\(resized)")
        #expect(resized.values.allSatisfy { $0 == "replace" }, "the targets follow their instances: \(resized)")
        #expect(!resized.keys.contains { $0.contains("db0") || $0.contains("api01") }, "\(resized)")
        try await steps.converge("resize")
        let resizedHosts = try ["app01", "app02", "app03"].compactMap { host(try store.load(), $0) }
        #expect(Set(resizedHosts).count == 3, "still one replica per host: \(resizedHosts)")
        try write(three.replacingOccurrences(of: "web:1.4.2", with: "web:1.5.0"))
        try await steps.converge("resize back")

        // Scale down: app03 and its target go, nothing else.
        try write(original.replacingOccurrences(of: "web:1.4.2", with: "web:1.5.0"))
        let down = try await steps.actions()
        #expect(down == ["primary/instance.app03": "delete", "primary/lb_target.app03": "delete"], "\(down)")
        try await steps.converge("scale down")

        // Bigger database volumes: an in-place update of each volume, nothing replaced.
        try write(original.replacingOccurrences(of: "web:1.4.2", with: "web:1.5.0").replacingOccurrences(of: "size: 100GiB", with: "size: 200GiB"))
        let grow = try await steps.actions()
        #expect(grow == ["primary/volume.db01": "update", "primary/volume.db02": "update"], "\(grow)")
        try await steps.converge("volume growth")
        #expect(try store.load()?.resources[ResourceAddress(region: "primary", kind: .volume, name: "db01")]?.attributes["size_gib"] == "200")

        // Backups more often and kept longer, and the balancer's firewall opened to one more
        // network: each an in-place update of exactly that resource.
        let final = original.replacingOccurrences(of: "web:1.4.2", with: "web:1.5.0").replacingOccurrences(of: "size: 100GiB", with: "size: 200GiB")
        try write(final.replacingOccurrences(of: "  interval: 24h\n  retention: 30d", with: "  interval: 12h\n  retention: 60d")
            .replacingOccurrences(
                of: "      cidrs: [0.0.0.0/0]\n\nloadBalancer:",
                with: "      cidrs: [0.0.0.0/0]\n    - name: partner\n      protocol: tcp\n      ports: 443\n      cidrs: [203.0.113.0/24]\n\nloadBalancer:"))
        let tuned = try await steps.actions()
        #expect(tuned == ["primary/backup_plan.main": "update", "primary/firewall.lb": "update"], "\(tuned)")
        try await steps.converge("backup schedule and firewall")
        let plan = try #require(try store.load()?.resources[ResourceAddress(region: "primary", kind: .backupPlan, name: "main")])
        #expect(plan.attributes["interval"] == "12" && plan.attributes["retention_days"] == "60", "\(plan.attributes)")

        #expect(try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data").status == 0)
        #expect(try await Self.liveResources(ws, pod: "acme-one", regions: ["us-east-1"]).isEmpty)
        #expect(try await Self.copiesPerAddress(ws, pod: "acme-one", regions: ["us-east-1"]).isEmpty)
    }

    /// A DR region added to a running one-region pod, then taken away: the first plan adds the DR
    /// region's resources and changes the primary's backup plan in place (it now copies there),
    /// touching nothing else; the second deletes them and changes the backup plan back.
    @Test func addingAndRemovingADRRegionTouchesOnlyThatRegionAndTheBackupCopy() async throws {
        let ws = try await Self.workspace(regions: ["us-east-1", "us-west-2"])
        defer { ws.moto.stop(); ws.folder.remove() }
        let one = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Tests/Fixtures/pods/single-region-aws.yaml"), encoding: .utf8)
        let two = one.replacingOccurrences(
            of: "    role: primary\n",
            with: "    role: primary\n  - name: dr\n    provider: aws\n    region: us-west-2\n    role: dr\n")
        func write(_ text: String) throws { try text.write(toFile: ws.folder.path("pod.yaml"), atomically: true, encoding: .utf8) }
        let steps = PlanSteps(folder: ws.folder.url, environment: ws.environment)
        try write(one)
        try await steps.converge("one region")

        try write(two)
        let added = try await steps.actions()
        let outside = added.filter { !$0.key.hasPrefix("dr/") }
        #expect(outside == ["primary/backup_plan.main": "update"], "only the backup copy changes in primary: \(outside)")
        #expect(!added.isEmpty && added.filter { $0.key.hasPrefix("dr/") }.values.allSatisfy { $0 == "create" }, "\(added)")
        try await steps.converge("DR region added")
        let store = FileStateStore(path: ws.folder.path("catalyze.lock.json"))
        let backup = ResourceAddress(region: "primary", kind: .backupPlan, name: "main")
        #expect(try store.load()?.resources[backup]?.attributes["copy_to"] == "us-west-2")

        try write(one)
        let removed = try await steps.actions()
        #expect(removed.filter { !$0.key.hasPrefix("dr/") } == ["primary/backup_plan.main": "update"], "\(removed)")
        #expect(removed.filter { $0.key.hasPrefix("dr/") }.values.allSatisfy { $0 == "delete" }, "\(removed)")
        // The DR region's encrypted database volumes go with it: only on purpose.
        let refused = try await ws.catalyze("apply", "--auto-approve")
        #expect(refused.status == 1 && refused.stderr.contains("dr/volume.db01 (encrypted volume, delete"), "\(refused.stderr)")
        try await steps.converge("DR region removed", extra: ["--force-destroy-data"])
        #expect(try store.load()?.resources[backup]?.attributes["copy_to"] == "")
        #expect(try await Self.liveResources(ws, pod: "acme-one", regions: ["us-west-2"]).isEmpty, "nothing left in us-west-2")

        #expect(try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data").status == 0)
        #expect(try await Self.copiesPerAddress(ws, pod: "acme-one", regions: ["us-east-1", "us-west-2"]).isEmpty)
    }

    /// The lockfile lost (and its backup) after an apply: the next plan refuses, naming the lost
    /// lockfile's lineage; `import --from-lineage` records every resource found by its tags without
    /// making any again, and the plan after is clean.
    @Test func aLostLockfileIsRebuiltFromTheCloudWithoutDuplicates() async throws {
        let ws = try await Self.workspace(regions: ["us-east-1"])
        defer { ws.moto.stop(); ws.folder.remove() }
        try FileManager.default.removeItem(atPath: ws.folder.path("pod.yaml"))
        try FileManager.default.copyItem(
            atPath: repositoryRoot.appendingPathComponent("Tests/Fixtures/pods/single-region-aws.yaml").path, toPath: ws.folder.path("pod.yaml"))
        _ = try await PlanSteps(folder: ws.folder.url, environment: ws.environment).rebuildLostLockfile()
        #expect(try await Self.copiesPerAddress(ws, pod: "acme-one", regions: ["us-east-1"]).values.allSatisfy { $0 == 1 })
        #expect(try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data").status == 0)
        #expect(try await Self.copiesPerAddress(ws, pod: "acme-one", regions: ["us-east-1"]).isEmpty)
    }
}

/// A region that names an existing VPC (`regions[].network`): the pod goes into it, the next
/// plan is clean, destroy leaves the VPC and its subnets; a VPC that does not exist is an error
/// naming it and the region.
@Suite(.serialized) struct EndToEndExistingVPCTests {
    typealias W = EndToEndAWSTests

    /// Makes a VPC with an internet gateway and a subnet in each of `zones` straight in moto
    /// (untagged, as a customer's would be; the stricter moto, as AWS, wants the gateway for an
    /// internet-facing balancer).
    static func existingVPC(_ ws: EndToEndAWSTests.Workspace, zones: [String] = ["us-east-1a", "us-east-1b"]) async throws -> (vpc: String, subnets: [String]) {
        let client = try AWSDriver.fromEnvironment(ws.environment, transport: CurlTransport()).client
        let vpc = try #require(try await client.query(.ec2, "CreateVpc", region: "us-east-1", ["CidrBlock": "10.60.0.0/16"]).string("vpc", "vpcId"))
        let gateway = try #require(try await client.query(.ec2, "CreateInternetGateway", region: "us-east-1").string("internetGateway", "internetGatewayId"))
        _ = try await client.query(.ec2, "AttachInternetGateway", region: "us-east-1", ["InternetGatewayId": gateway, "VpcId": vpc])
        var subnets: [String] = []
        for (n, zone) in zones.enumerated() {
            let reply = try await client.query(.ec2, "CreateSubnet", region: "us-east-1", [
                "VpcId": vpc, "CidrBlock": "10.60.\(n + 1).0/24", "AvailabilityZone": zone,
            ])
            subnets.append(try #require(reply.string("subnet", "subnetId")))
        }
        return (vpc, subnets)
    }

    /// The single-region AWS pod, with its region naming `vpc` and `subnets`.
    static func writeManifest(_ ws: EndToEndAWSTests.Workspace, vpc: String, subnets: [String]) throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Tests/Fixtures/pods/single-region-aws.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "    role: primary\n", with: "    role: primary\n    network: { vpc: \(vpc), subnets: [\(subnets.joined(separator: ", "))] }\n")
            .replacingOccurrences(of: "  cidr: 10.40.0.0/16", with: "  cidr: 10.60.0.0/16")
        try text.write(toFile: ws.folder.path("pod.yaml"), atomically: true, encoding: .utf8)
    }

    static func vpcStillThere(_ ws: EndToEndAWSTests.Workspace, _ vpc: String, subnets: [String]) async throws -> Bool {
        let client = try AWSDriver.fromEnvironment(ws.environment, transport: CurlTransport()).client
        let vpcs = try await client.query(.ec2, "DescribeVpcs", region: "us-east-1", ["VpcId.1": vpc]).list("vpcSet")
        var parameters: [String: String] = [:]
        for (n, id) in subnets.enumerated() { parameters["SubnetId.\(n + 1)"] = id }
        let found = try await client.query(.ec2, "DescribeSubnets", region: "us-east-1", parameters).list("subnetSet")
        return vpcs.count == 1 && found.count == subnets.count
    }

    @Test func podGoesIntoTheExistingVPCAndDestroyLeavesIt() async throws {
        let ws = try await W.workspace(regions: ["us-east-1"])
        defer { ws.moto.stop(); ws.folder.remove() }
        let (vpc, subnets) = try await Self.existingVPC(ws)
        try Self.writeManifest(ws, vpc: vpc, subnets: subnets)

        let applied = try await ws.catalyze("apply", "--auto-approve")
        try #require(applied.status == 0, "apply failed:\n\(applied.stdout)\n\(applied.stderr)")
        let lockfile = try #require(try FileStateStore(path: ws.folder.path("catalyze.lock.json")).load())
        let network = try #require(lockfile.resources[ResourceAddress(region: "primary", kind: .network, name: "main")])
        #expect(network.cloudID == vpc)
        #expect(network.attributes["subnets"] == subnets.joined(separator: ","))
        // Every instance is in the VPC, in the subnet of its host's zone.
        let driver = try AWSDriver.fromEnvironment(ws.environment, transport: CurlTransport())
        let references = [network.address: ["vpc": vpc, "subnets": subnets.joined(separator: ",")]]
        let live = try await driver.refresh(RefreshRequest(pod: "acme-one", region: "us-east-1", references: references)).resources
        #expect(live.first { $0.kind == .network }?.resource.cloudID == vpc)
        #expect(live.filter { $0.kind == .instance }.allSatisfy { $0.resource.attributes["network"] == "primary/network.main" })
        let client = driver.client
        let instances = try await client.query(.ec2, "DescribeInstances", region: "us-east-1", [
            "Filter.1.Name": "tag:catalyze:pod", "Filter.1.Value.1": "acme-one",
        ]).list("reservationSet").flatMap { $0.list("instancesSet") }
        #expect(!instances.isEmpty && instances.allSatisfy { $0.string("vpcId") == vpc && subnets.contains($0.string("subnetId") ?? "") })
        // No VPC or subnet of its own.
        let own = try await client.query(.ec2, "DescribeVpcs", region: "us-east-1", [
            "Filter.1.Name": "tag:catalyze:pod", "Filter.1.Value.1": "acme-one",
        ]).list("vpcSet")
        #expect(own.isEmpty, "catalyze made a VPC of its own")
        // The ALB spans both subnets.
        let balancers = try await client.query(.elbv2, "DescribeLoadBalancers", region: "us-east-1").list("DescribeLoadBalancersResult", "LoadBalancers")
        let zones = balancers.first?.list("AvailabilityZones").compactMap { $0.string("SubnetId") } ?? []
        #expect(Set(zones) == Set(subnets))

        let again = try await ws.catalyze("plan", "--detailed-exitcode")
        #expect(again.status == 0, "second plan must be clean:\n\(again.stdout)\n\(again.stderr)")

        let destroyed = try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data")
        #expect(destroyed.status == 0, "destroy failed:\n\(destroyed.stdout)\n\(destroyed.stderr)")
        #expect(try await W.liveResources(ws, pod: "acme-one", regions: ["us-east-1"]).filter { $0.kind != .network }.isEmpty)
        #expect(try await Self.vpcStillThere(ws, vpc, subnets: subnets), "destroy must leave the existing VPC and its subnets")
    }

    /// network.cidr outside the named VPC's block: the firewall would admit the pod's own traffic
    /// by a block its containers are not in. plan refuses, naming both blocks, before any change.
    @Test func aNetworkCIDROutsideTheVPCIsRefused() async throws {
        let ws = try await W.workspace(regions: ["us-east-1"])
        defer { ws.moto.stop(); ws.folder.remove() }
        let (vpc, subnets) = try await Self.existingVPC(ws)
        try Self.writeManifest(ws, vpc: vpc, subnets: subnets)
        let text = try String(contentsOfFile: ws.folder.path("pod.yaml"), encoding: .utf8)
        try text.replacingOccurrences(of: "  cidr: 10.60.0.0/16", with: "  cidr: 10.40.0.0/16")
            .write(toFile: ws.folder.path("pod.yaml"), atomically: true, encoding: .utf8)
        let planned = try await ws.catalyze("plan")
        #expect(planned.status == 1)
        #expect(planned.stderr.hasPrefix("error: ") && planned.stderr.contains("10.40.0.0/16") && planned.stderr.contains("10.60.0.0/16")
            && planned.stderr.contains(vpc), "\(planned.stderr)")
        let saved = try FileStateStore(path: ws.folder.path("catalyze.lock.json")).load()
        #expect(saved?.resources.isEmpty ?? true, "nothing was made")
    }

    /// An application load balancer needs subnets in two zones (ELBv2 CreateLoadBalancer): named
    /// subnets of one zone are refused by plan, naming the VPC, the subnets and the zone, before any change.
    @Test func subnetsOfOneZoneAreRefusedForAnApplicationBalancer() async throws {
        let ws = try await W.workspace(regions: ["us-east-1"])
        defer { ws.moto.stop(); ws.folder.remove() }
        let (vpc, subnets) = try await Self.existingVPC(ws, zones: ["us-east-1a", "us-east-1a"])
        try Self.writeManifest(ws, vpc: vpc, subnets: subnets)
        let planned = try await ws.catalyze("plan")
        #expect(planned.status == 1)
        #expect(planned.stderr.hasPrefix("error: ") && planned.stderr.contains(vpc) && planned.stderr.contains(subnets[1])
            && planned.stderr.contains("one availability zone, us-east-1a") && planned.stderr.contains("at least two"), "\(planned.stderr)")
        let saved = try FileStateStore(path: ws.folder.path("catalyze.lock.json")).load()
        #expect(saved?.resources.isEmpty ?? true, "nothing was made")
    }

    @Test func missingVPCIsAnErrorNamingItAndTheRegion() async throws {
        let ws = try await W.workspace(regions: ["us-east-1"])
        defer { ws.moto.stop(); ws.folder.remove() }
        try Self.writeManifest(ws, vpc: "vpc-0123456789abcdef0", subnets: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"])
        let applied = try await ws.catalyze("apply", "--auto-approve")
        #expect(applied.status == 1)
        let output = applied.stdout + applied.stderr
        #expect(output.contains("vpc-0123456789abcdef0") && output.contains("us-east-1"), "\(output)")
        #expect(output.contains("does not exist"), "\(output)")
    }
}
