import CatalyzeCore
import CatalyzeModel
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// Upgrading catalyze never destroys data: the previous release (built from its tag by
/// scripts/previous-release.sh; scripts/test.sh exports CATALYZE_PREVIOUS_BINARY) applies its own
/// copy of examples/hipaa-aws.yaml on moto; this release then plans the same pod. No encrypted
/// volume is replaced or deleted, the lockfile is upgraded with the old bytes kept as a backup, and
/// apply converges; the same for examples/dev-rax.yaml on mimic. Kept for every later release: when
/// one changes a replace trigger without a `LockfileMigration`, this test fails.
///
/// One replacement is wanted: 0.1.0 launched AWS instances with unencrypted root volumes, which
/// EC2 cannot encrypt in place, so 0.2.0 makes each anew (`root_key`, with that reason in the plan),
/// rolled one member at a time, a database instance re-attaching its encrypted data volume. After
/// the apply, moto reports every root volume encrypted with the pod's key and every data volume
/// with its old id.
@Suite(.serialized) struct UpgradeTests {
    /// The previous release's binary and source tree, or a failure saying how to build them.
    static func previousRelease() throws -> (binary: String, examples: URL) {
        let environment = ProcessInfo.processInfo.environment
        let binary = environment["CATALYZE_PREVIOUS_BINARY"] ?? ""
        guard !binary.isEmpty, FileManager.default.isExecutableFile(atPath: binary) else {
            let what = binary.isEmpty ? "CATALYZE_PREVIOUS_BINARY is not set" : "CATALYZE_PREVIOUS_BINARY=\(binary) is not an executable"
            Issue.record(Comment(rawValue: "\(what): build the previous release with scripts/previous-release.sh and run "
                + "`export CATALYZE_PREVIOUS_BINARY=$(scripts/previous-release.sh)` (scripts/test.sh does both)"))
            throw PreviousReleaseMissing()
        }
        // scripts/previous-release.sh: <scratch>/debug/catalyze, its source tree in <scratch>/source.
        let scratch = URL(fileURLWithPath: binary).deletingLastPathComponent().deletingLastPathComponent()
        let source = environment["CATALYZE_PREVIOUS_SOURCE"]
        let examples = source.map { URL(fileURLWithPath: $0) } ?? scratch.appendingPathComponent("source")
        guard FileManager.default.fileExists(atPath: examples.appendingPathComponent("examples/hipaa-aws.yaml").path) else {
            Issue.record(Comment(rawValue: "the previous release's source tree is missing at \(examples.path): run scripts/previous-release.sh"))
            throw PreviousReleaseMissing()
        }
        return (binary, examples.appendingPathComponent("examples"))
    }

    struct PreviousReleaseMissing: Error {}

    /// The addresses of recorded encrypted volumes and database instances, with their cloud ids.
    static func dataHolders(_ lockfile: Lockfile) -> [ResourceAddress: String] {
        var holders: [ResourceAddress: String] = [:]
        for record in lockfile.resources.values {
            let encryptedVolume = record.kind == .volume && record.attributes["encrypted"] == "true"
            let database = record.kind == .instance && record.attributes["role"] == "db"
            if encryptedVolume || database { holders[record.address] = record.cloudID }
        }
        return holders
    }

    /// The recorded encrypted volumes (a database's data), with their cloud ids.
    static func dataVolumes(_ lockfile: Lockfile) -> [ResourceAddress: String] {
        dataHolders(lockfile).filter { $0.key.kind == .volume }
    }

    /// True for a replacement that 0.2.0 wants of every 0.1.0 AWS instance, and only for it: its
    /// root volume made encrypted (a trigger EC2 can meet only at launch).
    static func replacedForItsRoot(_ change: [String: Any]) -> Bool {
        let reason = change["reason"] as? String ?? ""
        return change["action"] as? String == "replace" && reason.contains("root_key cannot change in place (EC2 encrypts a root volume only at launch")
    }

    @Test func thePreviousReleasesPodUpgradesWithoutReplacingData() async throws {
        let previous = try Self.previousRelease()
        let ws = try await EndToEndAWSTests.workspace(examples: previous.examples)
        defer { ws.moto.stop(); ws.folder.remove() }
        func old(_ arguments: String...) async throws -> CommandResult {
            try await runCommand(previous.binary, arguments, in: ws.folder.url, environment: ws.environment)
        }

        // A plan saved by the previous release is refused by this one, naming both releases.
        #expect(try await old("plan", "--out", "old.plan").status == 0)
        let foreignPlan = try await ws.catalyze("apply", "old.plan")
        #expect(foreignPlan.status == 1)
        #expect(foreignPlan.stderr.contains("catalyze 0.1.0") && foreignPlan.stderr.contains("catalyze \(Release.version)"),
                "\(foreignPlan.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws.folder.path("catalyze.lock.json")), "nothing written")

        // 0.1.0 made its internet-facing balancer in a VPC without an internet gateway, which only
        // moto 5.2.1 accepted: the stricter moto lets it, for the previous release's apply only.
        try await Self.strictNetwork(ws, false)
        let lockPath = ws.folder.path("catalyze.lock.json")
        var before: Lockfile?
        try await Self.upgrade(previous: previous.binary, folder: ws.folder.url, environment: ws.environment, rootsReplaced: true, afterPreviousApply: {
            try await Self.strictNetwork(ws, true)
            before = try FileStateStore(path: lockPath).load()
        })
        // The roots made anew are encrypted with the pod's key, as moto reports them, and so is every data volume.
        let lockfile = try #require(try FileStateStore(path: ws.folder.path("catalyze.lock.json")).load())
        let checked = try await PodEncryptionCheck.everyVolumeUnderThePodKey(
            try EndToEndAWSTests.backupClient(ws), lockfile: lockfile, regions: ["primary": "us-east-1", "dr": "us-west-2"])
        #expect(checked.roots == lockfile.resources.values.filter { $0.kind == .instance }.count && checked.volumes > 0, "\(checked)")
        // 0.1.0 put every instance and the balancer in one pod-wide group open to the whole pod
        // network; the upgrade moved them (the instances made anew for their roots) to their tiers' groups,
        // moved the customer-access rule to the monitoring group, and deleted the pod-wide group.
        for region in ["us-east-1", "us-west-2"] {
            let groups = try await TieredFirewallEndToEndTests.groups(ws, pod: "acme-prod", region: region)
            TieredFirewallEndToEndTests.expectTiered(groups, vpn: "192.168.0.0/16", customerPorts: ["logging": 9200, "monitoring": 9090])
            #expect(groups.rules.contains("monitoring tcp/9090/192.168.10.0/24"), "\(region): the customer's monitoring access moved with it")
        }
        // The network, its subnets, every data volume and the balancer stay (the balancer moved to the
        // public subnets in place; the instances were made anew for their encrypted roots); 0.1.0's
        // second subnet became subnet.private-2.
        let old = try #require(before)
        let after = try #require(try FileStateStore(path: lockPath).load())
        for record in old.resources.values where [.network, .volume, .loadBalancer].contains(record.kind) {
            #expect(after.resources[record.address]?.cloudID == record.cloudID, "\(record.address) kept its cloud id")
        }
        for region in ["primary", "dr"] {
            // 0.1.0 recorded the balancer's subnets: the network's own, then the second it made.
            let balancer = try #require(old.resources[ResourceAddress(region: region, kind: .loadBalancer, name: "main")])
            let legacy = (balancer.outputs["subnet_ids"] ?? "").split(separator: ",").dropFirst().first.map(String.init)
            let taken = after.resources[ResourceAddress(region: region, kind: .subnet, name: "private-2")]?.cloudID
            #expect(legacy != nil && taken == legacy, "\(region): 0.1.0's second subnet \(legacy ?? "none") is subnet.private-2 (\(taken ?? "none"))")
            #expect(after.resources[ResourceAddress(region: region, kind: .internetGateway, name: "main")] != nil)
        }
        #expect(try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data").status == 0)
    }

    /// Switching customer access on a pod the previous release applied, before this release's first
    /// apply, is refused before anything is written: the rule goes on the logging tier's own group,
    /// which that apply makes.
    @Test func anExposeBeforeTheFirstApplyOfThisReleaseIsRefusedClearly() async throws {
        let previous = try Self.previousRelease()
        let ws = try await EndToEndAWSTests.workspace(examples: previous.examples)
        defer { ws.moto.stop(); ws.folder.remove() }
        try await Self.strictNetwork(ws, false)  // 0.1.0's balancer network: see above
        let applied = try await runCommand(previous.binary, ["apply", "--auto-approve"], in: ws.folder.url, environment: ws.environment)
        try #require(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
        try await Self.strictNetwork(ws, true)
        let lockPath = ws.folder.path("catalyze.lock.json")
        let before = try Data(contentsOf: URL(fileURLWithPath: lockPath))
        let refused = try await ws.catalyze("access", "expose", "logging", "--cidr", "198.51.100.0/24")
        #expect(refused.status == 1, "\(refused.stdout)\n\(refused.stderr)")
        #expect(refused.stderr.contains("/firewall.logging") && refused.stderr.contains("run `catalyze apply` first"), "\(refused.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: lockPath)) == before, "nothing written")
        #expect(!FileManager.default.fileExists(atPath: ws.folder.path("catalyze.access.exposure.json")), "no switch recorded")
    }

    /// Turns the stricter moto's network checks on or off (`POST /moto-api/catalyze/strict-network`).
    static func strictNetwork(_ ws: EndToEndAWSTests.Workspace, _ enabled: Bool) async throws {
        let reply = try await EmulatorHTTP.sendJSON("POST", ws.moto.url.appendingPathComponent("moto-api/catalyze/strict-network"), ["enabled": enabled])
        try #require(reply.status == 200, "strict-network: \(reply.status)")
    }

    /// The same on mimic: the previous release's examples/dev-rax.yaml (its encrypted database volume
    /// is a Cinder volume of catalyze's mimic extension).
    @Test func thePreviousReleasesRackspacePodUpgradesWithoutReplacingData() async throws {
        let previous = try Self.previousRelease()
        let ws = try await EndToEndRackspaceTests.workspace(example: "dev-rax.yaml", examples: previous.examples)
        defer { ws.stop() }
        // 0.1.0 asked for hosts with a scheduler hint no Nova honours; mimic honours it for this
        // tenant only while 0.1.0 applies. This release then plans and applies with Compute API
        // 2.74's `host` alone.
        let mimic = try RackspaceMimic()
        try await mimic.setLegacyHostHint(tenant: ws.tenant, enabled: true)
        try await Self.upgrade(previous: previous.binary, folder: ws.folder.url, environment: ws.environment) {
            try await mimic.setLegacyHostHint(tenant: ws.tenant, enabled: false)
        }
        #expect(try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data").status == 0)
        #expect(try await EndToEndRackspaceTests.live(ws, pod: "acme-dev").isEmpty, "nothing left in mimic")
    }

    /// The previous release applies the pod in `folder`; this one plans it (no encrypted volume or
    /// database instance replaced or deleted, nothing written), applies it (without
    /// --force-destroy-data) to convergence, and leaves the lockfile in its format with the old bytes
    /// kept as `catalyze.lock.json.v1.backup`; every data holder keeps its cloud id.
    /// `rootsReplaced`: every instance is replaced for its root volume's encryption (AWS), and a
    /// database instance's cloud id changes while its data volume's does not.
    static func upgrade(
        previous binary: String, folder: URL, environment: [String: String], rootsReplaced: Bool = false,
        afterPreviousApply: () async throws -> Void = {}
    ) async throws {
        func old(_ arguments: String...) async throws -> CommandResult {
            try await runCommand(binary, arguments, in: folder, environment: environment)
        }
        func new(_ arguments: String...) async throws -> CommandResult {
            try await runCommand(catalyzeBinary, arguments, in: folder, environment: environment)
        }
        let applied = try await old("apply", "--auto-approve")
        try #require(applied.status == 0, "the previous release's apply failed:\n\(applied.stdout)\n\(applied.stderr)")
        try await afterPreviousApply()
        let lockPath = folder.appendingPathComponent("catalyze.lock.json").path
        let oldBytes = try Data(contentsOf: URL(fileURLWithPath: lockPath))
        let oldText = String(decoding: oldBytes, as: UTF8.self)
        #expect(oldText.contains("\"format_version\": 1") && !oldText.contains("written_by"), "0.1.0 writes format 1")
        let before = try #require(try FileStateStore(path: lockPath).load())
        let holders = Self.dataHolders(before)
        #expect(holders.keys.contains { $0.kind == .volume } && holders.keys.contains { $0.kind == .instance },
                "encrypted volumes and database instances recorded: \(holders.keys.sorted())")

        // This release plans it: nothing that holds data is replaced or deleted.
        let planned = try await new("plan", "--json")
        try #require(planned.status == 0, "plan failed:\n\(planned.stderr)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(planned.stdout.utf8)) as? [String: Any])
        for change in plan["changes"] as? [[String: Any]] ?? [] {
            let address = change["address"] as? String ?? "?"
            let action = change["action"] as? String ?? "?"
            #expect(change["destroys_data"] == nil, "\(address) \(action) destroys data after the upgrade")
            if let recorded = ResourceAddress(parsing: address), recorded.kind == .volume, holders[recorded] != nil {
                #expect(action != "replace" && action != "delete", "\(address) would be \(action)d by the upgrade")
            }
            // No instance is replaced for anything else: 0.1.0 recorded `<pod>-<container>`
            // principals, which 0.2.0 keeps until a host is replaced for another reason
            // (`Planner.keepingLegacyPrincipal`); on AWS the unencrypted root is that reason.
            if let recorded = ResourceAddress(parsing: address), recorded.kind == .instance {
                if rootsReplaced {
                    #expect(Self.replacedForItsRoot(change), "\(address) \(action): \(change["reason"] ?? "")")
                } else {
                    #expect(action != "replace", "\(address) would be replaced by the upgrade: \(change["reason"] ?? "")")
                }
            } else {
                #expect(action != "delete" || !(address.contains("/volume.")), "\(address) deleted")
            }
        }
        if rootsReplaced {
            #expect(planned.stdout.contains("EC2 encrypts a root volume only at launch"), "the plan says why")
            let human = try await new("plan")
            #expect(human.stdout.contains("root_key cannot change in place"), "\(human.stdout)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: lockPath)) == oldBytes, "plan does not rewrite the lockfile")

        // apply (without --force-destroy-data: it would refuse a data loss) converges.
        let steps = PlanSteps(folder: folder, environment: environment)
        try await steps.converge("apply after the upgrade")

        // The lockfile is in this release's format; the old bytes are kept beside it, private.
        let backupPath = FileStateStore(path: lockPath).formatBackupPath(1)
        #expect(backupPath.hasSuffix("catalyze.lock.json.v1.backup"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: backupPath)) == oldBytes)
        #expect(try FileManager.default.attributesOfItem(atPath: backupPath)[.posixPermissions] as? Int == 0o600)
        let newText = try String(contentsOfFile: lockPath, encoding: .utf8)
        #expect(newText.contains("\"format_version\": \(Lockfile.currentFormatVersion)"))
        #expect(newText.contains("\"written_by\": \"\(Release.version)\""))
        let after = try #require(try FileStateStore(path: lockPath).load())
        if rootsReplaced {
            #expect(Self.dataVolumes(after) == Self.dataVolumes(before), "every encrypted data volume kept its cloud id")
        } else {
            #expect(Self.dataHolders(after) == holders, "every encrypted volume and database instance kept its cloud id")
        }
        // No balancer was replaced, nor any instance but for its root (moving to tier firewalls is in place).
        func kept(_ lockfile: Lockfile) -> [ResourceAddress: String] {
            lockfile.resources.values.filter { (!rootsReplaced && $0.kind == .instance) || $0.kind == .loadBalancer }
                .reduce(into: [:]) { $0[$1.address] = $1.cloudID }
        }
        #expect(kept(after) == kept(before), "every load balancer (and instance, unless replaced for its root) kept its cloud id")
    }
}
