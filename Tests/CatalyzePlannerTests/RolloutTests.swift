import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState
import Foundation
import Testing

/// `Planner.roll`: members of an anti-affinity group that are made anew are put in one order.
@Suite struct RolloutTests {
    static func groups(_ manifest: PodManifest) -> [ResourceAddress: String] {
        Dictionary(PodLayout.slots(manifest).map { ($0.address, $0.group) }, uniquingKeysWith: { first, _ in first })
    }

    /// The plan of `manifest` against a lockfile of `recorded`, with the groups.
    static func plan(_ manifest: PodManifest, desired: [ResourceSpec], recorded: [ResourceSpec]) -> Plan {
        let lockfile = PlannerTests.lockfile(recording: recorded, pod: manifest.pod.name)
        return Planner.plan(PlanInput(
            pod: manifest.pod.name, desired: desired, lockfile: lockfile, live: PlannerTests.live(lockfile),
            newLineage: "new-lineage", regions: RegionTarget.targets(of: manifest), groups: groups(manifest)))
    }

    static func rollouts(_ plan: Plan) -> [String: String] {
        var labels: [String: String] = [:]
        for change in plan.changes { if let rollout = change.rollout { labels[change.address.description] = rollout.label } }
        return labels
    }

    /// A new image: app01 then app02 in each region, each with its target; nothing else rolls.
    @Test func aNewImageRollsEachRegionsAppsInOrderWithTheirTargets() throws {
        var manifest = try PlannerTests.manifest()
        let recorded = PlannerTests.desired(manifest)
        manifest.apps[0].image = "registry.acme.example/web:2.0"
        let plan = Self.plan(manifest, desired: PlannerTests.desired(manifest), recorded: recorded)
        var expected: [String: String] = [:]
        for region in ["primary", "dr"] {
            for (name, label) in [("app01", "rolling 1/2"), ("app02", "rolling 2/2")] {
                expected["\(region)/instance.\(name)"] = label
                expected["\(region)/lb_target.\(name)"] = label
            }
        }
        #expect(Self.rollouts(plan) == expected)
        let first = try #require(plan.changes.first { $0.address.description == "primary/lb_target.app02" }?.rollout)
        #expect(first == Rollout(
            group: "acme-prod/primary/app", member: ResourceAddress(region: "primary", kind: .instance, name: "app02"), position: 2, count: 2,
            strategy: .destroyThenCreate, why: "no host with room for the new member beside the group's"))
    }

    /// Database members go replicas first, the primary last; volumes are not touched, attachments follow.
    @Test func databasesRollReplicaFirstAndKeepTheirVolumes() throws {
        var manifest = try PlannerTests.manifest()
        let recorded = PlannerTests.desired(manifest)
        manifest.databases[0].size = ContainerSize.named[3].1
        let plan = Self.plan(manifest, desired: PlannerTests.desired(manifest), recorded: recorded)
        let labels = Self.rollouts(plan)
        #expect(labels["primary/instance.db02"] == "rolling 1/2" && labels["primary/attachment.db02"] == "rolling 1/2", "\(labels)")
        #expect(labels["primary/instance.db01"] == "rolling 2/2" && labels["primary/attachment.db01"] == "rolling 2/2", "\(labels)")
        #expect(!plan.actionable.contains { $0.spec.kind == .volume }, "volumes stay")
        #expect(!labels.keys.contains { $0.contains("app") })
    }

    /// A target made anew for a kept instance (a rollout that stopped on an unhealthy member)
    /// rolls first: the next member waits for its health check.
    @Test func aTargetRecreatedForAKeptInstanceRollsBeforeTheNextMember() throws {
        var manifest = try PlannerTests.manifest()
        let old = PlannerTests.desired(manifest)
        manifest.apps[0].image = "registry.acme.example/web:2.0"
        let new = PlannerTests.desired(manifest)
        // app01 already replaced and its target not yet recorded; app02 still old.
        let recorded = old.filter { $0.address.description != "primary/lb_target.app01" && $0.address.description != "primary/instance.app01" }
            + new.filter { $0.address.description == "primary/instance.app01" }
        let plan = Self.plan(manifest, desired: new, recorded: recorded)
        let labels = Self.rollouts(plan).filter { $0.key.hasPrefix("primary/") }
        #expect(labels == [
            "primary/lb_target.app01": "rolling 1/2", "primary/instance.app02": "rolling 2/2", "primary/lb_target.app02": "rolling 2/2",
        ], "\(labels)")
    }

    /// A first apply, a new member (scale up) and a one-member group do not roll.
    @Test func nothingRollsWithoutAMemberMadeAnew() throws {
        var manifest = try PlannerTests.manifest()
        #expect(Self.rollouts(Self.plan(manifest, desired: PlannerTests.desired(manifest), recorded: [])).isEmpty)
        let recorded = PlannerTests.desired(manifest)
        manifest.apps[0].replicas = 3
        #expect(Self.rollouts(Self.plan(manifest, desired: PlannerTests.desired(manifest), recorded: recorded)).isEmpty)
        let moved = PlannerTests.desired(manifest, hostSuffix: "-b").filter { $0.address.name == "logging01" }
        let plan = Self.plan(manifest, desired: recorded.filter { $0.address.name != "logging01" } + moved, recorded: recorded)
        #expect(plan.changes.contains { $0.address.name == "logging01" && $0.action == .replace })
        #expect(Self.rollouts(plan).isEmpty, "logging01 is a group of one")
    }

    /// A member placement found room for is create-before-destroy, the others destroy-then-create;
    /// databases always destroy-then-create (one volume, one instance at a time).
    @Test func strategiesComeFromPlacementAndDatabasesAreDestroyThenCreate() throws {
        var manifest = try PlannerTests.manifest()
        let recorded = PlannerTests.desired(manifest)
        manifest.apps[0].image = "registry.acme.example/web:2.0"
        manifest.databases[0].size = ContainerSize.named[3].1
        let lockfile = PlannerTests.lockfile(recording: recorded, pod: manifest.pod.name)
        let app01 = ResourceAddress(region: "primary", kind: .instance, name: "app01")
        let plan = Planner.plan(PlanInput(
            pod: manifest.pod.name, desired: PlannerTests.desired(manifest), lockfile: lockfile, live: PlannerTests.live(lockfile),
            newLineage: "new-lineage", regions: RegionTarget.targets(of: manifest), groups: Self.groups(manifest),
            strategies: [app01: RolloutChoice(.createBeforeDestroy, why: "room on h-spare")]))
        func strategy(_ address: String) -> RolloutStrategy? {
            plan.changes.first { $0.address.description == address }?.rollout?.strategy
        }
        #expect(strategy("primary/instance.app01") == .createBeforeDestroy && strategy("primary/lb_target.app01") == .createBeforeDestroy)
        #expect(strategy("primary/instance.app02") == .destroyThenCreate && strategy("dr/instance.app01") == .destroyThenCreate)
        #expect(strategy("primary/instance.db01") == .destroyThenCreate && strategy("primary/instance.db02") == .destroyThenCreate)
        #expect(Planner.replacedMembers(plan).map(\.member.description).filter { $0.hasPrefix("primary/") }
            == ["primary/instance.app01", "primary/instance.app02"], "databases are never create-before-destroy")
    }

    /// An apply killed between the new member's instance and the old one's delete: the old
    /// instance and target are recorded at their deposed addresses, and the cloud holds both
    /// instances tagged `instance.app01`. The plan makes the new target, then deletes the deposed
    /// pair, all in app01's place of the rollout, before app02; nothing is a duplicate or adopted.
    @Test func aDeposedMemberResumesCreateBeforeDestroy() throws {
        var manifest = try PlannerTests.manifest()
        let old = PlannerTests.desired(manifest)
        manifest.apps[0].image = "registry.acme.example/web:2.0"
        let new = PlannerTests.desired(manifest)
        let instance = ResourceAddress(region: "primary", kind: .instance, name: "app01")
        let target = ResourceAddress(region: "primary", kind: .lbTarget, name: "app01")
        var lockfile = PlannerTests.lockfile(recording: old, pod: manifest.pod.name)
        let oldLive = PlannerTests.live(lockfile).filter { $0.address == instance || $0.address == target }
        for address in [instance, target] {
            let id = try #require(lockfile.resources[address]).cloudID
            lockfile.depose(address, cloudID: id, to: address.deposed(cloudID: id))
        }
        let newInstance = try #require(new.first { $0.address == instance })
        lockfile.resources[instance] = ResourceRecord(spec: newInstance, resource: CloudResource(cloudID: "id-app01-new"), token: "tok2")
        let live = PlannerTests.live(lockfile).filter { $0.address.deposedFrom == nil } + oldLive
        let plan = Planner.plan(PlanInput(
            pod: manifest.pod.name, desired: new, lockfile: lockfile, live: live, newLineage: "new-lineage",
            regions: RegionTarget.targets(of: manifest), groups: Self.groups(manifest)))
        #expect(plan.drift.isEmpty, "\(plan.drift)")
        let primary = plan.actionable.filter { $0.address.region == "primary" }
        var actions: [String: String] = [:]
        for change in primary { actions[change.address.description] = "\(change.action.rawValue) \(change.rollout?.label ?? "-") \(change.rollout?.strategy.rawValue ?? "-")" }
        #expect(actions == [
            "primary/lb_target.app01": "create rolling 1/2 create-before-destroy",
            "primary/instance.app01~id-app01-instance": "delete rolling 1/2 create-before-destroy",
            "primary/lb_target.app01~id-app01-lb-target": "delete rolling 1/2 create-before-destroy",
            "primary/instance.app02": "replace rolling 2/2 destroy-then-create",
            "primary/lb_target.app02": "replace rolling 2/2 destroy-then-create",
        ], "\(actions)")
    }
}
