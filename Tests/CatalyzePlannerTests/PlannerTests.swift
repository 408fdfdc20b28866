import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// Planner logic as pure unit tests: no cloud, no files beyond the example manifest.
@Suite struct PlannerTests {
    static func manifest(_ name: String = "hipaa-aws.yaml") throws -> PodManifest {
        let path = repositoryRoot.appendingPathComponent("examples/\(name)").path
        return try #require(ManifestLoader.load(path: path).manifest)
    }

    /// Every instance on its own host, named after the instance.
    static func desired(_ manifest: PodManifest, hostSuffix: String = "") -> [ResourceSpec] {
        var placements: [ResourceAddress: String] = [:]
        for slot in PodLayout.slots(manifest) { placements[slot.address] = "h-\(slot.name)\(hostSuffix)" }
        return DesiredState(manifest: manifest, placements: placements, zones: [:], sshCA: "").resources()
    }

    static func lockfile(recording specs: [ResourceSpec], pod: String) -> Lockfile {
        var lockfile = Lockfile.new(pod: pod, lineage: "11111111-2222-3333-4444-555555555555")
        lockfile.serial = 7
        for spec in specs {
            lockfile.resources[spec.address] = ResourceRecord(
                spec: spec, resource: CloudResource(cloudID: "id-\(spec.address.name)-\(spec.kind.rawValue)"), token: "tok")
        }
        return lockfile
    }

    static func live(_ lockfile: Lockfile) -> [LiveResource] {
        lockfile.sortedRecords.map {
            LiveResource(address: $0.address, kind: $0.kind, resource: $0.cloudResource, operationToken: $0.token, lineage: lockfile.lineage)
        }
    }

    static func input(_ manifest: PodManifest, desired: [ResourceSpec], lockfile: Lockfile?, live: [LiveResource]?) -> PlanInput {
        return PlanInput(pod: manifest.pod.name, desired: desired, lockfile: lockfile, live: live,
                         newLineage: "new-lineage", regions: RegionTarget.targets(of: manifest))
    }

    @Test func desiredStateHasEveryPart() throws {
        let manifest = try Self.manifest()
        let specs = Self.desired(manifest)
        let primary = specs.filter { $0.address.region == "primary" }
        let kinds = Dictionary(grouping: primary, by: \.kind).mapValues(\.count)
        // app01-02, db01-02, api01, logging01, monitoring01
        #expect(kinds[.instance] == 7)
        #expect(kinds[.volume] == 2 && kinds[.attachment] == 2)
        #expect(kinds[.lbTarget] == 2)
        // A firewall per tier: lb, app, api, db, logging, monitoring (FirewallTierTests).
        #expect(kinds[.network] == 1 && kinds[.firewall] == 6 && kinds[.loadBalancer] == 1 && kinds[.key] == 1)
        #expect(kinds[.vpn] == 1)
        #expect(kinds[.firewallRule] == 1, "monitoring customer access is on, logging's is off")
        #expect(primary.contains { $0.address.description == "primary/firewall_rule.monitoring-access" })
        // The DR region is a full warm standby.
        #expect(specs.filter { $0.address.region == "dr" }.count == primary.count)
        let volume = try #require(primary.first { $0.address.description == "primary/volume.db01" })
        #expect(volume.attributes["encrypted"] == "true" && volume.attributes["key"] == "primary/key.storage")
        #expect(volume.attributes["size_gib"] == "100")
    }

    /// A passthrough listener is planned as such, with a connect check and no certificate at all.
    @Test func passthroughBalancerHasNoCertificate() throws {
        let text = """
            version: 1
            pod: { name: acme, customer: Acme Health }
            profile: hipaa
            regions:
              - { name: primary, provider: aws, region: us-east-1 }
            loadBalancer:
              type: network
              listeners:
                - { protocol: tls-passthrough, port: 443, targetPort: 8443 }
            apps:
              - { name: app, image: registry.example/app:1, port: 8443 }

            """
        let loaded = ManifestLoader.load(text: text, file: "pod.yaml")
        #expect(loaded.diagnostics.isEmpty)
        let manifest = try #require(loaded.manifest)
        let balancer = try #require(Self.desired(manifest).first { $0.kind == .loadBalancer })
        #expect(balancer.attributes["type"] == "network")
        #expect(balancer.attributes["listeners"] == "tls-passthrough/443>8443")
        #expect(balancer.attributes["health_check"] == "tcp::8443")
        #expect(balancer.attributes["certificate"] == nil)
    }

    @Test func firstPlanCreatesEverything() throws {
        let manifest = try Self.manifest()
        let desired = Self.desired(manifest)
        let plan = Planner.plan(Self.input(manifest, desired: desired, lockfile: nil, live: []))
        #expect(plan.changes.allSatisfy { $0.action == .create })
        #expect(plan.summaryLine == "Plan: \(desired.count) to add, 0 to change, 0 to destroy.")
        #expect(Set(plan.changes.map(\.token)).count == desired.count, "every create has its own token")
        #expect(plan.changes.allSatisfy { $0.token.count <= 64 })
    }

    @Test func appliedPodPlansClean() throws {
        let manifest = try Self.manifest()
        let desired = Self.desired(manifest)
        let lockfile = Self.lockfile(recording: desired, pod: manifest.pod.name)
        let plan = Planner.plan(Self.input(manifest, desired: desired, lockfile: lockfile, live: Self.live(lockfile)))
        #expect(plan.isEmpty)
        #expect(plan.drift.isEmpty)
        #expect(plan.summaryLine == "Plan: 0 to add, 0 to change, 0 to destroy.")
    }

    @Test func hostChangeReplacesInstanceAndItsDependents() throws {
        let manifest = try Self.manifest()
        let desired = Self.desired(manifest)
        let lockfile = Self.lockfile(recording: desired, pod: manifest.pod.name)
        var moved = desired
        let index = try #require(moved.firstIndex { $0.address.description == "primary/instance.db01" })
        moved[index].attributes["host"] = "h-elsewhere"
        let plan = Planner.plan(Self.input(manifest, desired: moved, lockfile: lockfile, live: Self.live(lockfile)))
        let actions = Dictionary(uniqueKeysWithValues: plan.actionable.map { ($0.address.description, $0) })
        #expect(actions["primary/instance.db01"]?.action == .replace)
        #expect(actions["primary/instance.db01"]?.changes.first { $0.key == "host" }?.forcesReplacement == true)
        #expect(actions["primary/attachment.db01"]?.action == .replace, "the attachment refers to the replaced instance")
        #expect(actions["primary/volume.db01"] == nil, "the volume (the data) stays")
        #expect(plan.summary.add == 2 && plan.summary.destroy == 2)
    }

    @Test func growingAVolumeIsAnInPlaceUpdate() throws {
        let manifest = try Self.manifest()
        let desired = Self.desired(manifest)
        let lockfile = Self.lockfile(recording: desired, pod: manifest.pod.name)
        var grown = desired
        let index = try #require(grown.firstIndex { $0.address.description == "primary/volume.db02" })
        grown[index].attributes["size_gib"] = "200"
        let plan = Planner.plan(Self.input(manifest, desired: grown, lockfile: lockfile, live: Self.live(lockfile)))
        #expect(plan.actionable.count == 1)
        #expect(plan.actionable.first?.action == .update)
        #expect(plan.actionable.first?.changes == [AttributeChange(key: "size_gib", old: "100", new: "200", forcesReplacement: false)])
        #expect(plan.summaryLine == "Plan: 0 to add, 1 to change, 0 to destroy.")
    }

    @Test func driftIsShownApartAndRepaired() throws {
        let manifest = try Self.manifest()
        let desired = Self.desired(manifest)
        let lockfile = Self.lockfile(recording: desired, pod: manifest.pod.name)
        var live = Self.live(lockfile)
        live.removeAll { $0.address.description == "primary/instance.api01" }          // deleted by hand
        let fw = try #require(live.firstIndex { $0.address.description == "primary/firewall.db" })
        live[fw].resource.attributes["ingress"] = "tcp/22/0.0.0.0/0"                      // opened by hand
        live.append(LiveResource(
            address: ResourceAddress(region: "primary", kind: .volume, name: "stray"), kind: .volume,
            resource: CloudResource(cloudID: "vol-stray"), operationToken: "cz-old"))     // left by a crash
        let plan = Planner.plan(Self.input(manifest, desired: desired, lockfile: lockfile, live: live))
        #expect(plan.drift.map(\.kind) == ["modified", "deleted", "unmanaged"])
        let actions = Dictionary(uniqueKeysWithValues: plan.actionable.map { ($0.address.description, $0.action) })
        #expect(actions["primary/instance.api01"] == .create)
        #expect(actions["primary/firewall.db"] == .update)
        #expect(actions["primary/volume.stray"] == .delete)
    }

    /// An empty desired value is a change where empty means "none" (every VPN route removed from
    /// the manifest), and still the driver's choice elsewhere (an instance's default image).
    @Test func anEmptyValueIsAChangeOnlyWhereEmptyMeansNone() throws {
        let manifest = try Self.manifest()
        let desired = Self.desired(manifest)
        var lockfile = Self.lockfile(recording: desired, pod: manifest.pod.name)
        let appAddress = try #require(ResourceAddress(parsing: "primary/instance.app01"))
        lockfile.resources[appAddress]?.attributes["image"] = "ami-0abc"  // the driver's default, as recorded
        var cleared = desired
        let vpn = try #require(cleared.firstIndex { $0.address.description == "primary/vpn.main" })
        cleared[vpn].attributes["remote_cidrs"] = ""
        let app = try #require(cleared.firstIndex { $0.address.description == "primary/instance.app01" })
        cleared[app].attributes["image"] = ""
        let plan = Planner.plan(Self.input(manifest, desired: cleared, lockfile: lockfile, live: Self.live(lockfile)))
        #expect(plan.actionable.map(\.address.description) == ["primary/vpn.main"])
        #expect(plan.actionable.first?.action == .update && plan.actionable.first?.changes.map(\.key) == ["remote_cidrs"])
    }

    /// Two cloud resources tagged with one address: the recorded one stays (whichever refresh lists
    /// first), the other is deleted under `<name>~<cloud id>`; destroy deletes both.
    @Test func aDuplicateOfAManagedResourceIsDeletedAndTheRecordedOneKept() throws {
        let manifest = try Self.manifest()
        let desired = Self.desired(manifest)
        let lockfile = Self.lockfile(recording: desired, pod: manifest.pod.name)
        var live = Self.live(lockfile)
        let index = try #require(live.firstIndex { $0.address.description == "primary/volume.db01" })
        var copy = live[index]
        copy.resource = CloudResource(cloudID: "vol-0dup/1", attributes: copy.resource.attributes)
        live.insert(copy, at: index)  // listed before the recorded one
        let plan = Planner.plan(Self.input(manifest, desired: desired, lockfile: lockfile, live: live))
        #expect(plan.actionable.map(\.address.description) == ["primary/volume.db01~vol-0dup-1"])
        let delete = try #require(plan.actionable.first)
        #expect(delete.action == .delete && delete.prior?.cloudID == "vol-0dup/1" && delete.spec.kind == .volume)
        #expect(plan.drift.map(\.kind) == ["duplicate"])
        #expect(!plan.changes.contains { $0.address.description == "primary/volume.db01" && $0.action != .noop },
                "the recorded volume is up to date, not compared with its duplicate")
        #expect(ResourceAddress(parsing: delete.address.description) == delete.address, "the address parses back (plan files)")

        var destroy = Self.input(manifest, desired: [], lockfile: lockfile, live: live)
        destroy.destroying = true
        let deletes = Planner.plan(destroy).actionable.filter { $0.address.name.hasPrefix("db01") && $0.spec.kind == .volume }
        #expect(Set(deletes.compactMap(\.prior?.cloudID)) == [lockfile.resources[copy.address]!.cloudID, "vol-0dup/1"])
    }

    @Test func vpnRoutesChangeInPlaceAndEveryRouteDeletedIsDrift() throws {
        let manifest = try Self.manifest()
        let desired = Self.desired(manifest)
        let lockfile = Self.lockfile(recording: desired, pod: manifest.pod.name)
        let vpn = "primary/vpn.main"
        var wider = desired
        let index = try #require(wider.firstIndex { $0.address.description == vpn })
        wider[index].attributes["remote_cidrs"] = "10.9.0.0/16,192.168.0.0/16"
        let changed = Planner.plan(Self.input(manifest, desired: wider, lockfile: lockfile, live: Self.live(lockfile)))
        #expect(changed.actionable.map(\.address.description) == [vpn])
        #expect(changed.actionable.first?.action == .update, "routes change in place; the connection stays")

        // Every route deleted by hand: the empty route list is read back, so it is drift (unlike an
        // empty value of a key a refresh cannot read), and the update adds the route again.
        var live = Self.live(lockfile)
        let found = try #require(live.firstIndex { $0.address.description == vpn })
        live[found].resource.attributes["remote_cidrs"] = ""
        let drifted = Planner.plan(Self.input(manifest, desired: desired, lockfile: lockfile, live: live))
        #expect(drifted.drift.map(\.address.description) == [vpn] && drifted.drift.first?.kind == "modified")
        #expect(drifted.actionable.map(\.action) == [.update])
        #expect(drifted.actionable.first?.changes == [AttributeChange(key: "remote_cidrs", old: "", new: "192.168.0.0/16", forcesReplacement: false)])
    }

    @Test func removedContainersAreDeleted() throws {
        let manifest = try Self.manifest()
        let desired = Self.desired(manifest)
        let lockfile = Self.lockfile(recording: desired, pod: manifest.pod.name)
        let fewer = desired.filter { !$0.address.name.hasPrefix("db02") }
        let plan = Planner.plan(Self.input(manifest, desired: fewer, lockfile: lockfile, live: Self.live(lockfile)))
        #expect(Set(plan.actionable.map(\.address.description)) == [
            "primary/instance.db02", "primary/volume.db02", "primary/attachment.db02",
            "dr/instance.db02", "dr/volume.db02", "dr/attachment.db02",
        ])
        #expect(plan.actionable.allSatisfy { $0.action == .delete })
        #expect(plan.actionable.allSatisfy { $0.reason == "no longer in the manifest" })
    }

    @Test func destroyDeletesEverythingSayingItWasAsked() throws {
        let manifest = try Self.manifest()
        let desired = Self.desired(manifest)
        let lockfile = Self.lockfile(recording: desired, pod: manifest.pod.name)
        var input = Self.input(manifest, desired: [], lockfile: lockfile, live: Self.live(lockfile))
        input.destroying = true
        let plan = Planner.plan(input)
        #expect(plan.actionable.count == desired.count)
        #expect(plan.actionable.allSatisfy { $0.action == .delete && $0.reason == "destroy requested" })
    }

    @Test func interruptedCreateResumesWithItsToken() throws {
        let manifest = try Self.manifest()
        let desired = Self.desired(manifest)
        var lockfile = Lockfile.new(pod: manifest.pod.name, lineage: "l")
        let spec = try #require(desired.first { $0.kind == .network })
        lockfile.begin(JournalEntry(token: "cz-pending", operation: .create, spec: spec, startedAt: Date(timeIntervalSince1970: 0)))
        let plan = Planner.plan(Self.input(manifest, desired: desired, lockfile: lockfile, live: []))
        let change = try #require(plan.changes.first { $0.address == spec.address })
        #expect(change.action == .create && change.token == "cz-pending")
    }

    /// A token is fresh (the driver may create without looking for an earlier attempt) only when the
    /// plan minted it with refresh run: never when resumed from the journal, adopted from the cloud,
    /// or planned without refresh.
    @Test func onlyMintedTokensAreFresh() throws {
        let manifest = try Self.manifest()
        let desired = Self.desired(manifest)
        let first = Planner.plan(Self.input(manifest, desired: desired, lockfile: nil, live: []))
        #expect(first.changes.allSatisfy { $0.freshToken == true })

        let blind = Planner.plan(Self.input(manifest, desired: desired, lockfile: nil, live: nil))
        #expect(blind.changes.allSatisfy { $0.freshToken == nil }, "without refresh an adopted resource cannot be seen")

        var lockfile = Lockfile.new(pod: manifest.pod.name, lineage: "l")
        let network = try #require(desired.first { $0.kind == .network })
        lockfile.begin(JournalEntry(token: "cz-pending", operation: .create, spec: network, startedAt: Date(timeIntervalSince1970: 0)))
        let firewall = try #require(desired.first { $0.kind == .firewall })
        let found = LiveResource(address: firewall.address, kind: .firewall, resource: CloudResource(cloudID: "sg-1"), operationToken: "cz-old")
        let resumed = Planner.plan(Self.input(manifest, desired: desired, lockfile: lockfile, live: [found]))
        #expect(resumed.changes.first { $0.address == network.address }?.freshToken == nil, "resumed from the journal")
        let adopted = try #require(resumed.changes.first { $0.address == firewall.address })
        #expect(adopted.token == "cz-old" && adopted.freshToken == nil, "adopted from the cloud")
        #expect(resumed.changes.filter { $0.freshToken == true }.count == desired.count - 2)
    }

    @Test func sameInputGivesByteIdenticalPlans() throws {
        let manifest = try Self.manifest()
        let desired = Self.desired(manifest)
        let lockfile = Self.lockfile(recording: Array(desired.prefix(10)), pod: manifest.pod.name)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let a = try encoder.encode(Planner.plan(Self.input(manifest, desired: desired, lockfile: lockfile, live: Self.live(lockfile))))
        let b = try encoder.encode(Planner.plan(Self.input(manifest, desired: desired.shuffled(), lockfile: lockfile,
                                                          live: Self.live(lockfile).shuffled())))
        #expect(a == b)
    }

    @Test func graphIsDeterministicDOT() throws {
        let specs = Self.desired(try Self.manifest())
        let dot = DependencyGraph.dot(specs)
        #expect(dot.hasPrefix("digraph catalyze {"))
        #expect(dot.contains(#""primary/attachment.db01" -> "primary/instance.db01";"#))
        #expect(dot == DependencyGraph.dot(specs.reversed()))
    }
}
