import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState
import Foundation
import Testing

/// The move from `<pod>-<container>` to `<pod>.<region>.<container>` principals: a lockfile made
/// before 0.2.0 plans no replacement; hosts made anew for another reason get the scoped form.
@Suite struct PrincipalTransitionTests {
    /// `specs` as a release before 0.2.0 recorded them: every instance with the legacy principal.
    static func legacy(_ specs: [ResourceSpec], pod: String) -> [ResourceSpec] {
        specs.map { spec in
            guard spec.kind == .instance else { return spec }
            var old = spec
            old.attributes["principals"] = "\(pod)-\(spec.address.name)"
            return old
        }
    }

    static func principals(_ plan: Plan) -> [String: String] {
        var found: [String: String] = [:]
        for change in plan.changes where change.spec.kind == .instance { found[change.address.description] = change.spec.attributes["principals"] }
        return found
    }

    @Test func desiredInstancesNameTheirPodRegionAndContainer() throws {
        let manifest = try PlannerTests.manifest()
        let specs = PlannerTests.desired(manifest)
        let app = try #require(specs.first { $0.address.description == "dr/instance.app01" })
        #expect(app.attributes["principals"] == "acme-prod.dr.app01")
    }

    /// The upgrade: a lockfile recorded with the old principal form, refreshed or not, plans nothing.
    @Test func aLockfileWithTheOldPrincipalFormPlansNoReplacement() throws {
        let manifest = try PlannerTests.manifest()
        let desired = PlannerTests.desired(manifest)
        let lockfile = PlannerTests.lockfile(recording: Self.legacy(desired, pod: manifest.pod.name), pod: manifest.pod.name)
        for live in [PlannerTests.live(lockfile), nil] {
            let plan = Planner.plan(PlannerTests.input(manifest, desired: desired, lockfile: lockfile, live: live))
            #expect(plan.actionable.isEmpty, "\(plan.actionable.map { "\($0.address) \($0.action): \($0.reason)" })")
            #expect(Self.principals(plan)["primary/instance.app01"] == "acme-prod-app01", "the record stays true to the host")
        }
    }

    /// A new image rolls the apps: their new hosts accept only the scoped form; the others keep theirs.
    @Test func hostsMadeAnewForAnotherReasonGetTheScopedForm() throws {
        var manifest = try PlannerTests.manifest()
        let recorded = Self.legacy(PlannerTests.desired(manifest), pod: manifest.pod.name)
        manifest.apps[0].image = "registry.acme.example/web:2.0"
        let plan = RolloutTests.plan(manifest, desired: PlannerTests.desired(manifest), recorded: recorded)
        let app = try #require(plan.changes.first { $0.address.description == "dr/instance.app02" })
        #expect(app.action == .replace && app.rollout?.label == "rolling 2/2")
        #expect(app.spec.attributes["principals"] == "acme-prod.dr.app02")
        #expect(app.changes.contains(AttributeChange(key: "principals", old: "acme-prod-app02", new: "acme-prod.dr.app02", forcesReplacement: true)))
        #expect(app.reason == "container_image, principals cannot change in place")
        let db = try #require(plan.changes.first { $0.address.description == "primary/instance.db01" })
        #expect(db.action == .noop && db.spec.attributes["principals"] == "acme-prod-db01")
    }

    /// Replaced because its network is made anew (decided after the attribute comparison): still scoped.
    @Test func anInstanceReplacedWithItsNetworkGetsTheScopedForm() throws {
        let manifest = try PlannerTests.manifest()
        let desired = PlannerTests.desired(manifest)
        var recorded = Self.legacy(desired, pod: manifest.pod.name)
        let network = try #require(recorded.firstIndex { $0.address.description == "primary/network.main" })
        recorded[network].attributes["cidr"] = "10.99.0.0/16"
        let plan = RolloutTests.plan(manifest, desired: desired, recorded: recorded)
        let app = try #require(plan.changes.first { $0.address.description == "primary/instance.app01" })
        #expect(app.action == .replace)
        #expect(app.spec.attributes["principals"] == "acme-prod.primary.app01")
        let dr = try #require(plan.changes.first { $0.address.description == "dr/instance.app01" })
        #expect(dr.action == .noop && dr.spec.attributes["principals"] == "acme-prod-app01")
    }

    /// Only the legacy name of the same container is kept: any other recorded value is a change.
    @Test func aPrincipalOfAnotherContainerIsNotKept() throws {
        let manifest = try PlannerTests.manifest()
        let desired = PlannerTests.desired(manifest)
        var recorded = desired
        let index = try #require(recorded.firstIndex { $0.address.description == "primary/instance.app01" })
        recorded[index].attributes["principals"] = "acme-prod-app02"
        let plan = RolloutTests.plan(manifest, desired: desired, recorded: recorded)
        let app = try #require(plan.changes.first { $0.address.description == "primary/instance.app01" })
        #expect(app.action == .replace && app.spec.attributes["principals"] == "acme-prod.primary.app01")
    }

    /// `--replace`: a named old-form host is made anew (rolled, with the scoped form) although
    /// nothing else about it changed; every other host keeps its form and is left alone (only the
    /// host's own load-balancer registration follows it).
    @Test func aRequestedReplacementRollsThatHostOntoTheScopedForm() throws {
        let manifest = try PlannerTests.manifest()
        let desired = PlannerTests.desired(manifest)
        let lockfile = PlannerTests.lockfile(recording: Self.legacy(desired, pod: manifest.pod.name), pod: manifest.pod.name)
        let app01 = try Planner.replaceableAddress("primary/instance.app01", lockfile: lockfile)
        let plan = Planner.plan(PlanInput(
            pod: manifest.pod.name, desired: desired, lockfile: lockfile, live: PlannerTests.live(lockfile),
            newLineage: "new-lineage", regions: RegionTarget.targets(of: manifest), groups: RolloutTests.groups(manifest),
            replacing: [app01]))
        let replaced = plan.changes.filter { $0.action == .replace || $0.action == .create || $0.action == .delete }
        // The instance, and its registration with the load balancer, which follows it.
        #expect(replaced.map(\.address.description) == ["primary/instance.app01", "primary/lb_target.app01"],
                "\(plan.actionable.map { "\($0.address) \($0.action): \($0.reason)" })")
        #expect(replaced.last?.reason == "primary/instance.app01 is being replaced")
        let change = try #require(replaced.first)
        #expect(change.reason == "replace requested" && change.rollout?.label == "rolling 1/1")
        #expect(change.spec.attributes["principals"] == "acme-prod.primary.app01")
        #expect(Self.principals(plan)["primary/instance.app02"] == "acme-prod-app02")
    }

    /// Only recorded instances can be asked for: an unknown address, a volume (data) or another
    /// kind is refused naming it, before any cloud call.
    @Test func aReplaceRequestNamesARecordedInstance() throws {
        let manifest = try PlannerTests.manifest()
        let lockfile = PlannerTests.lockfile(recording: PlannerTests.desired(manifest), pod: manifest.pod.name)
        for (text, words) in [
            ("primary/instance.app09", "--replace primary/instance.app09: the lockfile has no such resource"),
            ("app01", "--replace 'app01' is not a resource address"),
            ("primary/volume.db01", "--replace primary/volume.db01: a volume holds data and is never replaced on request"),
            ("primary/network.main", "--replace primary/network.main: only instances are replaced on request"),
        ] {
            #expect { try Planner.replaceableAddress(text, lockfile: lockfile) } throws: { error in
                "\(error)".contains(words)
            }
        }
        #expect(throws: Planner.ReplaceRefusal.self) { try Planner.replaceableAddress("primary/instance.app01", lockfile: nil) }
    }
}
