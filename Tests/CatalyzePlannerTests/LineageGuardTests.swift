import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState
import Foundation
import Testing

/// The one-owner rule as pure unit tests: which live resources a plan refuses, re-tags or imports.
@Suite struct LineageGuardTests {
    typealias P = PlannerTests
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func setting() throws -> (PodManifest, [ResourceSpec], Lockfile) {
        let manifest = try P.manifest()
        let desired = P.desired(manifest)
        return (manifest, desired, P.lockfile(recording: desired, pod: manifest.pod.name))
    }

    static func check(
        _ manifest: PodManifest, _ desired: [ResourceSpec], _ lockfile: Lockfile?, _ live: [LiveResource],
        importing: ImportSelection? = nil
    ) throws {
        try LineageGuard.check(
            pod: manifest.pod.name, lineage: lockfile?.lineage ?? "new-lineage", lockfile: lockfile, desired: desired, live: live,
            regions: RegionTarget.targets(of: manifest), importing: importing, now: now)
    }

    @Test func ownLineageAndUntaggedRecordedResourcesPass() throws {
        let (manifest, desired, lockfile) = try Self.setting()
        var live = P.live(lockfile)
        try Self.check(manifest, desired, lockfile, live)
        for i in live.indices where i % 2 == 0 { live[i].lineage = nil }  // made by 0.1.0
        try Self.check(manifest, desired, lockfile, live)
    }

    @Test func anotherLineageIsRefusedNamingItAndWhere() throws {
        let (manifest, desired, lockfile) = try Self.setting()
        let live = P.live(lockfile)
        // A second folder: no lockfile of its own, the cloud holds the first folder's pod.
        #expect {
            try Self.check(manifest, desired, nil, live)
        } throws: { error in
            guard case .foreign(let pod, let lineage, let conflicts) = error as? LineageError else { return false }
            let network = conflicts.first { $0.address.description == "primary/network.main" }
            return pod == manifest.pod.name && lineage == "new-lineage" && conflicts.count == live.count
                && network?.cloudRegion == "us-east-1" && network?.cloudID == "id-main-network"
                && network?.lineage == lockfile.lineage
                && "\(error)".contains("catalyze import --from-lineage \(lockfile.lineage)")
                && "\(error)".contains("primary/network.main (us-east-1, id-main-network)")
        }
    }

    @Test func untaggedUnrecordedOrDifferentCloudIDIsRefused() throws {
        let (manifest, desired, lockfile) = try Self.setting()
        var live = P.live(lockfile)
        let index = try #require(live.firstIndex { $0.kind == .volume })
        live[index].lineage = nil
        live[index].resource.cloudID = "vol-made-by-hand"
        #expect {
            try Self.check(manifest, desired, lockfile, live)
        } throws: { error in
            guard case .foreign(_, _, let conflicts) = error as? LineageError else { return false }
            return conflicts.map(\.cloudID) == ["vol-made-by-hand"] && conflicts.first?.lineage == nil
                && "\(error)".contains("catalyze import ADDRESS CLOUD_ID")
        }
    }

    @Test func anInterruptedCreateWhoseTokenTheJournalHoldsIsOurs() throws {
        let (manifest, desired, recorded) = try Self.setting()
        let volume = try #require(desired.first { $0.kind == .volume })
        var lockfile = recorded
        lockfile.resources[volume.address] = nil
        lockfile.begin(JournalEntry(token: "cz-interrupted", operation: .create, spec: volume, startedAt: Self.now))
        var live = P.live(recorded).filter { $0.address != volume.address }
        live.append(LiveResource(address: volume.address, kind: .volume, resource: CloudResource(cloudID: "vol-late"), operationToken: "cz-interrupted"))
        try Self.check(manifest, desired, lockfile, live)
        live[live.count - 1].operationToken = "cz-someone-else"
        #expect(throws: LineageError.self) { try Self.check(manifest, desired, lockfile, live) }
    }

    @Test func aVPCTheManifestNamesIsNeverTheSubject() throws {
        let (manifest, desired, lockfile) = try Self.setting()
        var wanted = desired
        let network = try #require(wanted.firstIndex { $0.kind == .network })
        wanted[network].attributes["vpc"] = "vpc-customer"
        var live = P.live(lockfile).filter { $0.kind != .network }
        live.append(LiveResource(
            address: wanted[network].address, kind: .network, resource: CloudResource(cloudID: "vpc-customer"), operationToken: nil))
        try Self.check(manifest, wanted, lockfile, live)
        var recorded = lockfile
        recorded.resources[wanted[network].address]?.cloudID = "vpc-customer"
        let plan = Planner.plan(P.input(manifest, desired: wanted, lockfile: recorded, live: live))
        #expect(plan.changes.first { $0.address == wanted[network].address }?.action != .retag, "the customer's VPC is not tagged")
    }

    @Test func untaggedRecordedResourcesAreRetaggedInPlaceAndUpdatesTagToo() throws {
        let (manifest, desired, lockfile) = try Self.setting()
        var live = P.live(lockfile)
        for i in live.indices { live[i].lineage = nil }
        var wanted = desired
        let app = try #require(wanted.firstIndex { $0.address.description == "primary/load_balancer.main" })
        wanted[app].attributes["health_check"] = "http:/changed:8080"
        let plan = Planner.plan(P.input(manifest, desired: wanted, lockfile: lockfile, live: live))
        let retagged = plan.changes.filter { $0.action == .retag }
        #expect(retagged.count == desired.count - 1)
        #expect(retagged.allSatisfy { $0.changes.contains { $0.key == CatalyzeTag.lineage && $0.new == lockfile.lineage } })
        let updated = try #require(plan.changes.first { $0.address == wanted[app].address })
        #expect(updated.action == .update && updated.setsLineage == true)
        #expect(plan.summaryLine == "Plan: 0 to add, 1 to change, 0 to destroy, \(desired.count - 1) to tag.")
        #expect(plan.summary.add == 0 && plan.summary.destroy == 0)

        // Once tagged, nothing is left to do.
        let clean = Planner.plan(P.input(manifest, desired: desired, lockfile: lockfile, live: P.live(lockfile)))
        #expect(clean.isEmpty)
    }

    @Test func importTakesTheLineageOnlyAndNeverAdds() throws {
        let (manifest, desired, owner) = try Self.setting()
        let live = P.live(owner)
        try Self.check(manifest, desired, nil, live, importing: .lineage(owner.lineage))
        let plan = Planner.plan(PlanInput(
            pod: manifest.pod.name, desired: desired, lockfile: nil, live: live, newLineage: "new-lineage",
            regions: RegionTarget.targets(of: manifest), importing: .lineage(owner.lineage)))
        #expect(plan.changes.count == owner.resources.count)
        #expect(plan.changes.allSatisfy { $0.action == .importResource && $0.prior != nil })
        #expect(plan.summaryLine == "Plan: 0 to add, 0 to change, 0 to destroy, \(owner.resources.count) to import.")
        #expect(plan.changes.allSatisfy { change in owner.resources[change.address]?.cloudID == change.prior?.cloudID })

        // One resource by address and cloud id.
        let volume = try #require(live.first { $0.kind == .volume })
        let one = Planner.plan(PlanInput(
            pod: manifest.pod.name, desired: desired, lockfile: nil, live: live, newLineage: "new-lineage",
            regions: RegionTarget.targets(of: manifest), importing: .resource(volume.address, cloudID: volume.resource.cloudID)))
        #expect(one.changes.map(\.address) == [volume.address] && one.changes.first?.action == .importResource)
    }

    @Test func importIsRefusedWhileTheLineagesLeaseIsFreshAndWhenNothingMatches() throws {
        let (manifest, desired, owner) = try Self.setting()
        var live = P.live(owner)
        let firewall = try #require(live.firstIndex { $0.address.description == "primary/firewall.lb" })
        live[firewall].lease = LineageLease(lineage: owner.lineage, holder: "ops@ci pid 7", expires: Self.now.addingTimeInterval(60))
        #expect {
            try Self.check(manifest, desired, nil, live, importing: .lineage(owner.lineage))
        } throws: { error in
            guard case .leaseHeld(_, let lease, let region, _) = error as? LineageError else { return false }
            return lease.holder == "ops@ci pid 7" && region == "us-east-1" && "\(error)".contains("ops@ci pid 7")
        }
        live[firewall].lease?.expires = Self.now.addingTimeInterval(-1)  // a killed apply's lease ran out
        try Self.check(manifest, desired, nil, live, importing: .lineage(owner.lineage))
        #expect(throws: LineageError.nothingToImport(pod: manifest.pod.name, selection: .lineage("nobody"))) {
            try Self.check(manifest, desired, nil, live, importing: .lineage("nobody"))
        }
    }

    @Test func leaseTagValueRoundTrips() throws {
        let lease = LineageLease(lineage: "0f9e", holder: "ops@ci pid 7", expires: Date(timeIntervalSince1970: 1_800_000_000.6))
        #expect(lease.tagValue == "1800000000 ops@ci pid 7")
        #expect(LineageLease(tagValue: lease.tagValue, lineage: "0f9e") == lease)
        #expect(LineageLease(tagValue: "garbage", lineage: "0f9e") == nil)
        #expect(LineageLease(tagValue: lease.tagValue, lineage: "") == nil, "a lease on an untagged resource is nobody's")
        #expect(LineageLease(lineage: "l", holder: "ünïcode;holder", expires: .distantFuture).tagValue.hasSuffix("-n-code-holder"))
    }
}
