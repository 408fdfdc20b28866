import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
@testable import CatalyzePlanner
import CatalyzeModel
import CatalyzeState
import Foundation
import Testing

/// Which planned changes destroy customer data (what `--force-destroy-data` guards).
@Suite struct DataLossTests {
    @Test func destroyingThePodMarksEncryptedVolumesOnly() throws {
        let manifest = try PlannerTests.manifest()
        let desired = PlannerTests.desired(manifest)
        let lockfile = PlannerTests.lockfile(recording: desired, pod: manifest.pod.name)
        let plan = Planner.plan(PlannerTests.input(manifest, desired: [], lockfile: lockfile, live: PlannerTests.live(lockfile)))
        let losses = Dictionary(uniqueKeysWithValues: plan.dataLosses.map { ($0.address.description, $0.dataLoss!) })
        var expected: [String: DataLoss] = [:]
        for region in ["primary", "dr"] {
            for name in ["db01", "db02"] {
                expected["\(region)/volume.\(name)"] = .encryptedVolume
            }
        }
        #expect(losses == expected)
        #expect(plan.actionable.count > losses.count, "database and app instances, balancers, keys… are deleted without a mark")
    }

    @Test func anUnchangedPodAndInPlaceUpdatesLoseNothing() throws {
        let manifest = try PlannerTests.manifest()
        let desired = PlannerTests.desired(manifest)
        let lockfile = PlannerTests.lockfile(recording: desired, pod: manifest.pod.name)
        let same = Planner.plan(PlannerTests.input(manifest, desired: desired, lockfile: lockfile, live: PlannerTests.live(lockfile)))
        #expect(same.dataLosses.isEmpty)
        // A new host for every instance replaces them all, the database instances among them (as a
        // rolling replacement of a new image or size does): their encrypted volumes are kept and
        // re-attached, so nothing is marked and apply needs no --force-destroy-data.
        let moved = PlannerTests.desired(manifest, hostSuffix: "-new")
        let plan = Planner.plan(PlannerTests.input(manifest, desired: moved, lockfile: lockfile, live: PlannerTests.live(lockfile)))
        let replaced = Set(plan.actionable.filter { $0.action == .replace }.map(\.address.description))
        #expect(replaced.isSuperset(of: ["primary/instance.db01", "primary/instance.db02", "dr/instance.db01", "dr/instance.db02"]), "\(replaced)")
        #expect(!plan.actionable.contains { $0.spec.kind == .volume }, "volumes untouched")
        #expect(plan.dataLosses.isEmpty)
    }

    @Test func aVolumeThatWasEncryptedCountsEvenWhenTheNewOneIsNot() {
        let address = ResourceAddress(region: "primary", kind: .volume, name: "db01")
        let spec = ResourceSpec(address: address, kind: .volume, provider: .aws, cloudRegion: "us-east-1",
                                attributes: ["encrypted": "false", "size_gib": "100"])
        var change = PlannedChange(
            address: address, action: .replace, reason: "encrypted changed", spec: spec,
            prior: CloudResource(cloudID: "vol-1", attributes: ["encrypted": "true"]), priorToken: "t", token: "u", changes: [])
        #expect(change.dataLoss == .encryptedVolume)
        change.action = .update
        #expect(change.dataLoss == nil, "only a delete or a replace loses data")
        change.action = .delete
        change.prior = CloudResource(cloudID: "vol-1", attributes: ["encrypted": "false"])
        #expect(change.dataLoss == nil, "an unencrypted volume is not guarded")
        change.action = .replace
        change.prior = CloudResource(cloudID: "vol-1", attributes: ["encrypted": "true"])
        change.priorGone = true
        #expect(change.dataLoss == nil, "a volume an interrupted delete already took has no data left to lose")
    }
}
