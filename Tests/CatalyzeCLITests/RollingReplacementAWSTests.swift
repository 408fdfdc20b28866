import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// Rolling replacement of an anti-affinity group through the binary, against a private moto:
/// examples/hipaa-aws.yaml (two regions, app01 and app02 in each) gets a new image, then a new
/// size; each app member is replaced one at a time, the next old member going only after the new
/// one is registered and healthy; a new member that never becomes healthy stops the rollout.
///
/// moto answers every registered, running instance `healthy` at once and keeps no order of calls;
/// our moto extension (Tests/Peers/run_moto.py, "test-only control of ELBv2 target health") sets a
/// target's `TargetHealth` as the ELBv2 API reference describes it and records, in order, every
/// RegisterTargets, DeregisterTargets, DescribeTargetHealth answer and TerminateInstances: the
/// cloud's own record of the rollout, which these tests read.
@Suite(.serialized) struct RollingReplacementAWSTests {
    static let regions = ["primary": "us-east-1", "dr": "us-west-2"]

    /// One event of the extension's record.
    struct TargetEvent: Equatable {
        let call: String
        let id: String
        let state: String?
    }

    static func events(_ ws: EndToEndAWSTests.Workspace) async throws -> [TargetEvent] {
        let reply = try await EmulatorHTTP.send("GET", ws.moto.url.appendingPathComponent("moto-api/catalyze/elbv2/target-events"))
        let object = try #require(try JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
        return (object["events"] as? [[String: Any]] ?? []).map {
            TargetEvent(call: $0["call"] as? String ?? "", id: $0["id"] as? String ?? "", state: $0["state"] as? String)
        }
    }

    /// Sets (or with nil `state`, clears) the health of every target registered from now on, in every group.
    static func newTargetsHealth(_ ws: EndToEndAWSTests.Workspace, state: String?, reason: String? = nil) async throws {
        var body: [String: Any] = ["TargetGroupArn": "*", "Id": "*", "State": state ?? NSNull()]
        if let reason { body["Reason"] = reason; body["Description"] = "Health checks failed with these codes: [503]" }
        let reply = try await EmulatorHTTP.sendJSON("POST", ws.moto.url.appendingPathComponent("moto-api/catalyze/elbv2/target-health"), body)
        try #require(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
    }

    static func address(_ region: String, _ kind: ResourceKind, _ name: String) -> ResourceAddress {
        ResourceAddress(region: region, kind: kind, name: name)
    }

    /// The instance id of `name` in `region` as `lockfile` records it.
    static func instanceID(_ lockfile: Lockfile, _ region: String, _ name: String) throws -> String {
        try #require(lockfile.resources[address(region, .instance, name)]?.cloudID, "\(region) \(name) recorded")
    }

    /// Checks, from moto's record of calls since `mark`, that each region's app group rolled one
    /// member at a time: app02's old instance was deregistered and terminated only after app01's
    /// new instance was registered and answered healthy, and the group never had no serving member.
    ///
    /// `createBeforeDestroy`: each new member was registered and healthy before its own old one was
    /// deregistered, and the group never served with fewer targets than before (two). Otherwise
    /// (destroy-then-create) old app01 went before new app01 came, and one member always served.
    static func checkRolledOneAtATime(_ events: [TargetEvent], before: Lockfile, after: Lockfile, createBeforeDestroy: Bool) throws {
        for region in regions.keys.sorted() {
            let old = try ["app01", "app02"].map { try instanceID(before, region, $0) }
            let new = try ["app01", "app02"].map { try instanceID(after, region, $0) }
            #expect(Set(old).isDisjoint(with: new), "\(region): both members replaced: \(old) → \(new)")
            func index(_ call: String, _ id: String, state: String? = nil) -> Int? {
                events.firstIndex { $0.call == call && $0.id == id && (state == nil || $0.state == state) }
            }
            let registered = try #require(index("RegisterTargets", new[0]), "\(region): new app01 registered")
            let healthy = try #require(index("DescribeTargetHealth", new[0], state: "healthy"), "\(region): new app01 healthy")
            let deregistered = try #require(index("DeregisterTargets", old[1]), "\(region): old app02 deregistered")
            let terminated = try #require(index("TerminateInstances", old[1]), "\(region): old app02 terminated")
            #expect(registered < healthy && healthy < deregistered && deregistered < terminated,
                    "\(region): old app02 went only after new app01 was registered (\(registered)) and healthy (\(healthy)): deregistered \(deregistered), terminated \(terminated)")
            let firstGone = try #require(index("TerminateInstances", old[0]))
            if createBeforeDestroy {
                // Each new member serves before its own old one is deregistered; old app01 is gone
                // before app02's replacement starts.
                for member in 0..<2 {
                    let healthyNew = try #require(index("DescribeTargetHealth", new[member], state: "healthy"), "\(region): new member \(member + 1) healthy")
                    let oldOut = try #require(index("DeregisterTargets", old[member]), "\(region): old member \(member + 1) deregistered")
                    let oldGone = try #require(index("TerminateInstances", old[member]))
                    #expect(healthyNew < oldOut && oldOut < oldGone, "\(region): member \(member + 1) create-before-destroy: \(events)")
                }
                let secondRegistered = try #require(index("RegisterTargets", new[1]))
                #expect(firstGone < secondRegistered, "\(region): one member at a time")
            } else {
                #expect(firstGone < registered, "\(region): one member at a time, destroy-then-create")
            }

            // Replay: the targets serving (registered and, if new, answered healthy): never none,
            // and with create-before-destroy never fewer than before.
            var serving = Set(old)
            var registeredNew = Set<String>()
            for event in events where (old + new).contains(event.id) {
                switch event.call {
                case "RegisterTargets": registeredNew.insert(event.id)
                case "DescribeTargetHealth" where event.state == "healthy" && registeredNew.contains(event.id): serving.insert(event.id)
                case "DeregisterTargets", "TerminateInstances": serving.remove(event.id)
                default: break
                }
                #expect(serving.count >= (createBeforeDestroy ? old.count : 1),
                        "\(region): \(serving.count) app member(s) serving after \(event.call) \(event.id)")
            }
            #expect(serving == Set(new), "\(region): the new members serve at the end: \(serving)")
        }
    }

    /// The strategy of each rolled app instance as `plan --json` shows it.
    static func plannedStrategies(_ steps: PlanSteps) async throws -> [String: String] {
        let plan = try await steps.catalyze("plan", "--json")
        try #require(plan.status == 0, "\(plan.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        var strategies: [String: String] = [:]
        for change in object["changes"] as? [[String: Any]] ?? [] {
            if let rollout = change["rollout"] as? [String: Any] { strategies[change["address"] as? String ?? "?"] = rollout["strategy"] as? String }
        }
        return strategies
    }

    /// What the database tier is made of, by address → cloud id (instances, volumes, attachments).
    static func databaseIDs(_ lockfile: Lockfile) -> [ResourceAddress: String] {
        lockfile.resources.filter { $0.key.name.hasPrefix("db") }.mapValues(\.cloudID)
    }

    /// The rollout of each changed app instance as `plan --json` shows it.
    static func plannedRollout(_ steps: PlanSteps) async throws -> [String: String] {
        let plan = try await steps.catalyze("plan", "--json")
        try #require(plan.status == 0, "\(plan.stderr)")
        try JSONSchemaTests.expectConforms(plan.stdout, to: "plan", "plan --json with a rollout")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        var labels: [String: String] = [:]
        for change in object["changes"] as? [[String: Any]] ?? [] {
            if let rollout = change["rollout"] as? [String: Any] { labels[change["address"] as? String ?? "?"] = rollout["label"] as? String }
        }
        return labels
    }

    @Test func newImageThenNewSizeRollTheAppGroupOneMemberAtATime() async throws {
        let ws = try await EndToEndAWSTests.workspace()
        defer { ws.moto.stop(); ws.folder.remove() }
        let steps = PlanSteps(folder: ws.folder.url, environment: ws.environment)
        let manifest = ws.folder.path("pod.yaml")
        let original = try String(contentsOfFile: manifest, encoding: .utf8)
        let store = FileStateStore(path: ws.folder.path("catalyze.lock.json"))
        try await steps.converge("first apply")

        for (step, text) in [
            ("new image", original.replacingOccurrences(of: "web:1.4.2", with: "web:1.5.0")),
            ("new size", original.replacingOccurrences(of: "web:1.4.2", with: "web:1.5.0")
                .replacingOccurrences(of: "    replicas: 2\n    size: medium", with: "    replicas: 2\n    size: large")),
        ] {
            try text.write(toFile: manifest, atomically: true, encoding: .utf8)
            let before = try #require(try store.load())

            // The plan shows the order, in JSON and for people.
            let labels = try await Self.plannedRollout(steps)
            for region in Self.regions.keys {
                #expect(labels["\(region)/instance.app01"] == "rolling 1/2" && labels["\(region)/lb_target.app01"] == "rolling 1/2", "\(step): \(labels)")
                #expect(labels["\(region)/instance.app02"] == "rolling 2/2" && labels["\(region)/lb_target.app02"] == "rolling 2/2", "\(step): \(labels)")
            }
            #expect(!labels.keys.contains { $0.contains("db0") }, "\(step): \(labels)")
            // Three hosts a region, two app members: room for each new member beside the group.
            let strategies = try await Self.plannedStrategies(steps)
            #expect(strategies.filter { $0.key.contains("app0") }.values.allSatisfy { $0 == "create-before-destroy" } && strategies.count == 8,
                    "\(step): \(strategies)")
            let human = try await steps.catalyze("plan", "--explain")
            #expect(human.stdout.contains("acme-prod/primary/app: app01 (1/2, create-before-destroy) → app02 (2/2, create-before-destroy)"),
                    "\(step): \(human.stdout)")
            #expect(human.stdout.contains("[rolling 2/2, create-before-destroy]"), "\(step): \(human.stdout)")
            #expect(human.stdout.contains("app01: the new member goes to host h-"), "\(step): \(human.stdout)")

            let mark = try await Self.events(ws).count
            try await steps.converge(step)
            let after = try #require(try store.load())
            try Self.checkRolledOneAtATime(
                Array(try await Self.events(ws).dropFirst(mark)), before: before, after: after, createBeforeDestroy: true)
            #expect(!after.resources.keys.contains { $0.name.contains("~") }, "\(step): no deposed record left")
            for region in Self.regions.keys {
                let hosts = try ["app01", "app02"].map { try #require(after.resources[Self.address(region, .instance, $0)]?.attributes["host"]) }
                #expect(Set(hosts).count == 2, "\(region): anti-affinity kept: \(hosts)")
            }
            #expect(Self.databaseIDs(after) == Self.databaseIDs(before), "\(step): the database tier is untouched")
            #expect(after.journal.isEmpty)
        }
    }

    @Test func aNewMemberThatNeverBecomesHealthyStopsTheRolloutWithinTheWait() async throws {
        let ws = try await EndToEndAWSTests.workspace()
        defer { ws.moto.stop(); ws.folder.remove() }
        let steps = PlanSteps(folder: ws.folder.url, environment: ws.environment)
        let manifest = ws.folder.path("pod.yaml")
        let store = FileStateStore(path: ws.folder.path("catalyze.lock.json"))
        try await steps.converge("first apply")
        let before = try #require(try store.load())

        // The new release fails its health check: every target registered from now on is unhealthy.
        try await Self.newTargetsHealth(ws, state: "unhealthy", reason: "Target.FailedHealthChecks")
        try String(contentsOfFile: manifest, encoding: .utf8).replacingOccurrences(of: "web:1.4.2", with: "web:1.5.0")
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        let mark = try await Self.events(ws).count
        let started = ContinuousClock.now
        let failed = try await steps.catalyze("apply", "--auto-approve", "--health-timeout", "2s")
        let took = started.duration(to: .now)
        #expect(failed.status == 1, "\(failed.stdout)\n\(failed.stderr)")
        #expect(took < .seconds(90), "stopped within the wait (2 s per member) and the apply's own calls: \(took)")
        for region in Self.regions.keys {
            let id = try Self.instanceID(try #require(try store.load()), region, "app01")
            #expect(failed.stderr.contains("\(region)/lb_target.app01: instance \(id) (\(region)/instance.app01) not healthy after 2 s")
                    && failed.stderr.contains("unhealthy: Target.FailedHealthChecks"), "\(failed.stderr)")
        }

        // The lockfile parses; app02, old, is still recorded, registered and running in each region.
        let stopped = try #require(try store.load())
        let events = Array(try await Self.events(ws).dropFirst(mark))
        for region in Self.regions.keys {
            let old = try Self.instanceID(before, region, "app02")
            #expect(try Self.instanceID(stopped, region, "app02") == old)
            #expect(stopped.resources[Self.address(region, .lbTarget, "app02")] == before.resources[Self.address(region, .lbTarget, "app02")])
            #expect(!events.contains { $0.id == old && ($0.call == "DeregisterTargets" || $0.call == "TerminateInstances") },
                    "\(region): the next old member was never touched: \(events)")
        }
        let live = try await EndToEndAWSTests.liveResources(ws, pod: "acme-prod", regions: ["us-east-1", "us-west-2"])
        for region in Self.regions.keys {
            let target = before.resources[Self.address(region, .lbTarget, "app02")]?.cloudID
            #expect(live.contains { $0.address == Self.address(region, .lbTarget, "app02") && $0.resource.cloudID == target }, "\(region): app02 still a target")
            #expect(live.contains { $0.address == Self.address(region, .instance, "app02") && $0.resource.cloudID == (try? Self.instanceID(before, region, "app02")) })
        }
        #expect(Self.databaseIDs(stopped) == Self.databaseIDs(before))
        // Create-before-destroy (three hosts a region): app01's old instance still runs, registered,
        // recorded at its deposed address until its new one serves.
        for region in Self.regions.keys {
            let old = try Self.instanceID(before, region, "app01")
            #expect(stopped.resources[Self.address(region, .instance, "app01~\(old)")]?.cloudID == old, "\(region): old app01 deposed, kept")
            #expect(live.contains { $0.address == Self.address(region, .instance, "app01") && $0.resource.cloudID == old }, "\(region): old app01 runs")
            #expect(!events.contains { $0.id == old && ($0.call == "DeregisterTargets" || $0.call == "TerminateInstances") },
                    "\(region): old app01 keeps serving: \(events)")
        }

        // The fault cleared, the next apply finishes the rollout: app01's target passes, then app02 rolls.
        try await Self.newTargetsHealth(ws, state: nil)
        let labels = try await Self.plannedRollout(steps)
        #expect(labels["primary/lb_target.app01"] == "rolling 1/2" && labels["primary/instance.app02"] == "rolling 2/2", "\(labels)")
        try await steps.converge("after the fault")
        let after = try #require(try store.load())
        for region in Self.regions.keys {
            #expect(try Self.instanceID(after, region, "app02") != Self.instanceID(before, region, "app02"))
        }
        #expect(Self.databaseIDs(after) == Self.databaseIDs(before))
    }

    /// Two hosts a region, two app members: no host without a member of the group, so each member
    /// is destroy-then-create on its own host, one at a time, one member always serving.
    @Test func aFleetWithoutRoomRollsDestroyThenCreate() async throws {
        let ws = try await EndToEndAWSTests.workspace(hosts: 2)
        defer { ws.moto.stop(); ws.folder.remove() }
        let steps = PlanSteps(folder: ws.folder.url, environment: ws.environment)
        let manifest = ws.folder.path("pod.yaml")
        let store = FileStateStore(path: ws.folder.path("catalyze.lock.json"))
        try await steps.converge("first apply")
        let before = try #require(try store.load())
        try String(contentsOfFile: manifest, encoding: .utf8).replacingOccurrences(of: "web:1.4.2", with: "web:1.5.0")
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        let strategies = try await Self.plannedStrategies(steps)
        #expect(strategies.count == 8 && strategies.values.allSatisfy { $0 == "destroy-then-create" }, "\(strategies)")
        let human = try await steps.catalyze("plan", "--explain")
        #expect(human.stdout.contains("app01 (1/2, destroy-then-create) → app02 (2/2, destroy-then-create)"), "\(human.stdout)")
        #expect(human.stdout.contains("app01: no room for a second app01: "), "\(human.stdout)")

        let mark = try await Self.events(ws).count
        try await steps.converge("new image, no room")
        let after = try #require(try store.load())
        try Self.checkRolledOneAtATime(Array(try await Self.events(ws).dropFirst(mark)), before: before, after: after, createBeforeDestroy: false)
        for region in Self.regions.keys {
            for name in ["app01", "app02"] {
                #expect(after.resources[Self.address(region, .instance, name)]?.attributes["host"]
                        == before.resources[Self.address(region, .instance, name)]?.attributes["host"], "\(region) \(name) stays on its host")
            }
        }
        #expect(Self.databaseIDs(after) == Self.databaseIDs(before))
    }

    /// Bigger database containers: db02 (the replica) is replaced first, and db01 (the primary)
    /// only once db02's new instance has its volume attached; both keep their encrypted volumes, and
    /// the apply needs no --force-destroy-data.
    @Test func biggerDatabasesRollReplicaFirstKeepingTheirVolumes() async throws {
        let ws = try await EndToEndAWSTests.workspace(regions: ["us-east-1"])
        defer { ws.moto.stop(); ws.folder.remove() }
        let steps = PlanSteps(folder: ws.folder.url, environment: ws.environment)
        let manifest = ws.folder.path("pod.yaml")
        let store = FileStateStore(path: ws.folder.path("catalyze.lock.json"))
        try String(contentsOf: repositoryRoot.appendingPathComponent("Tests/Fixtures/pods/single-region-aws.yaml"), encoding: .utf8)
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        try await steps.converge("first apply")
        let before = try #require(try store.load())
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        let bigger = text.replacingOccurrences(of: "    size: large\n", with: "    size: xlarge\n")
        try #require(bigger != text, "the fixture's databases are large")
        try bigger.write(toFile: manifest, atomically: true, encoding: .utf8)

        let labels = try await Self.plannedRollout(steps)
        #expect(labels == [
            "primary/instance.db02": "rolling 1/2", "primary/attachment.db02": "rolling 1/2",
            "primary/instance.db01": "rolling 2/2", "primary/attachment.db01": "rolling 2/2",
        ], "\(labels)")
        let actions = try await steps.actions()
        #expect(!actions.keys.contains { $0.contains("volume.") || $0.contains("app0") }, "volumes and apps untouched: \(actions)")

        // The volumes are kept, so no data is destroyed: nothing is marked, and the apply below
        // converges without --force-destroy-data (DataLoss; CHANGELOG 0.2.0).
        let json = try await steps.catalyze("plan", "--json")
        #expect(json.status == 0 && !json.stdout.contains("destroys_data"), "\(json.stdout)\n\(json.stderr)")

        let mark = try await Self.events(ws).count
        try await steps.converge("bigger databases")
        let after = try #require(try store.load())
        let events = Array(try await Self.events(ws).dropFirst(mark))
        let (old1, old2) = (try Self.instanceID(before, "primary", "db01"), try Self.instanceID(before, "primary", "db02"))
        let new2 = try Self.instanceID(after, "primary", "db02")
        let replicaAttached = try #require(events.firstIndex { $0.call == "AttachVolume" && $0.id == new2 }, "\(events)")
        let primaryGone = try #require(events.firstIndex { $0.call == "TerminateInstances" && $0.id == old1 }, "\(events)")
        let replicaGone = try #require(events.firstIndex { $0.call == "TerminateInstances" && $0.id == old2 }, "\(events)")
        #expect(replicaGone < replicaAttached && replicaAttached < primaryGone,
                "db02 replaced and its volume attached before db01 went: \(events)")
        for name in ["db01", "db02"] {
            let volume = Self.address("primary", .volume, name)
            #expect(after.resources[volume]?.cloudID == before.resources[volume]?.cloudID, "\(name)'s encrypted volume kept")
            #expect(after.resources[Self.address("primary", .instance, name)]?.attributes["vcpu"] == "8")
        }
    }
}
