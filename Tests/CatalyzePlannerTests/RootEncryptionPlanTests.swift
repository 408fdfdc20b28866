import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState
import Foundation
import Testing

/// Root volumes under the pod's key (`root_key`) and EBS encryption by default
/// (`encryption_by_default`): what a plan wants of an AWS pod, and of a pod 0.1.0 applied.
@Suite struct RootEncryptionPlanTests {
    /// `specs` as 0.1.0 recorded them: instances without `root_key` (their roots unencrypted) and
    /// legacy principals, keys without `encryption_by_default`.
    static func asRecordedBy010(_ specs: [ResourceSpec], pod: String) -> [ResourceSpec] {
        PrincipalTransitionTests.legacy(specs, pod: pod).map { spec in
            var old = spec
            old.attributes["root_key"] = nil
            old.attributes["encryption_by_default"] = nil
            return old
        }
    }

    @Test func everyAWSInstanceWantsItsRootUnderItsRegionsKeyAndHipaaKeysWantEncryptionByDefault() throws {
        let specs = PlannerTests.desired(try PlannerTests.manifest())
        let instances = specs.filter { $0.kind == .instance }
        #expect(instances.count == 14)
        for spec in instances {
            #expect(spec.attributes["root_key"] == "\(spec.address.region)/key.storage", "\(spec.address)")
        }
        for key in specs.filter({ $0.kind == .key }) {
            #expect(key.attributes["encryption_by_default"] == "true", "\(key.address)")
        }
    }

    /// Rackspace roots are not encrypted by catalyze, and a dev pod does not switch the account's
    /// setting: neither key appears, so their plans are unchanged.
    @Test func rackspaceAndDevPodsWantNeither() throws {
        for name in ["dev-rax.yaml"] {
            let specs = PlannerTests.desired(try PlannerTests.manifest(name))
            #expect(!specs.contains { $0.attributes["root_key"] != nil }, "\(name)")
            #expect(!specs.contains { $0.attributes["encryption_by_default"] != nil }, "\(name)")
        }
    }

    /// A pod applied by 0.1.0: every instance is replaced, saying why; no volume is replaced or
    /// deleted, nothing is marked as destroying data; each key is updated in place to switch on
    /// encryption by default.
    @Test func aPodAppliedBy010ReplacesItsInstancesForTheirRootsAndNoVolume() throws {
        let manifest = try PlannerTests.manifest()
        let desired = PlannerTests.desired(manifest)
        let recorded = Self.asRecordedBy010(desired, pod: manifest.pod.name)
        let lockfile = PlannerTests.lockfile(recording: recorded, pod: manifest.pod.name)
        let plan = Planner.plan(PlannerTests.input(manifest, desired: desired, lockfile: lockfile, live: PlannerTests.live(lockfile)))
        #expect(plan.dataLosses.isEmpty)
        for change in plan.changes {
            switch change.spec.kind {
            case .instance:
                #expect(change.action == .replace, "\(change.address)")
                // Its legacy principal goes with it: a new host gets the scoped form only.
                #expect(change.reason == "principals, root_key cannot change in place (EC2 encrypts a root volume only at launch: "
                    + "the instance is made anew with its root encrypted by the key, a data volume re-attached)", "\(change.reason)")
                #expect(change.spec.attributes["principals"] == PrincipalForm.scoped.name(
                    pod: manifest.pod.name, region: change.address.region, container: change.address.name), "a new host gets the scoped form")
            case .volume:
                #expect(change.action == .noop, "\(change.address) \(change.action): \(change.reason)")
            case .key:
                #expect(change.action == .update && change.reason == "encryption_by_default changed", "\(change.reason)")
            default:
                #expect(change.action != .delete, "\(change.address)")
            }
        }
    }

    /// Drift: refresh reports `root_key` empty (a root not under the pod's key): the plan shows it
    /// and replaces the instance; encryption by default switched off is put back in place.
    @Test func aRootOrSettingChangedOutsideCatalyzeIsDrift() throws {
        let manifest = try PlannerTests.manifest()
        let desired = PlannerTests.desired(manifest)
        let lockfile = PlannerTests.lockfile(recording: desired, pod: manifest.pod.name)
        var live = PlannerTests.live(lockfile)
        let app = try #require(live.firstIndex { $0.address.description == "primary/instance.app01" })
        live[app].resource.attributes["root_key"] = ""
        let key = try #require(live.firstIndex { $0.address.description == "dr/key.storage" })
        live[key].resource.attributes["encryption_by_default"] = "false"
        let plan = Planner.plan(PlannerTests.input(manifest, desired: desired, lockfile: lockfile, live: live))
        #expect(plan.drift.contains { $0.address.description == "primary/instance.app01" && $0.changes.map(\.key) == ["root_key"] })
        #expect(plan.drift.contains { $0.address.description == "dr/key.storage" && $0.changes.map(\.key) == ["encryption_by_default"] })
        let replaced = try #require(plan.changes.first { $0.address.description == "primary/instance.app01" })
        #expect(replaced.action == .replace)
        let updated = try #require(plan.changes.first { $0.address.description == "dr/key.storage" })
        #expect(updated.action == .update)
        #expect(plan.dataLosses.isEmpty)
    }
}
