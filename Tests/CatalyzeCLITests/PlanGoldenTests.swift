@testable import CatalyzeCLI
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// Every example's plan and lockfile, byte for byte, against files recorded by the release before
/// the typed model (issue 19): a refactor of how resources are described must not change one byte
/// of what `plan` prints (human, `--json`, a saved plan's `execution`) or of the lockfile it writes.
///
/// Placement runs for real on a synthetic fleet (so the bid table checks the default weights and
/// minimums too); the clock, hosts and lineage are fixed. To re-record after an intended change of
/// output: `CATALYZE_RECORD_GOLDEN=1` (then review the diff of `Tests/Fixtures/golden/`).
@Suite struct PlanGoldenTests {
    static let examples = ["dev-rax", "dr-cross-cloud", "hipaa-aws"]
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    static let folder = repositoryRoot.appendingPathComponent("Tests/Fixtures/golden")

    /// Ten hosts per region, each with different load, fresh metrics.
    static func fleets(_ manifest: PodManifest) -> [String: [FleetHost]] {
        var fleets: [String: [FleetHost]] = [:]
        for region in manifest.regions {
            let provider = region.provider
            fleets[region.name] = (1...10).map { n in
                FleetHost(
                    id: "\(region.cloudRegion.lowercased())-h\(n)", provider: provider, region: region.cloudRegion,
                    zone: region.zones.first ?? "\(region.cloudRegion.lowercased())a", family: "golden",
                    capacity: Capacity(vcpu: 64, memoryMiB: 262_144), allocated: Capacity(vcpu: n * 2, memoryMiB: n * 4_096),
                    instances: [], cpuPercent: Double(7 * n % 60), memoryPercent: Double(11 * n % 70),
                    sampledAt: now.addingTimeInterval(-60), healthy: true)
            }
        }
        return fleets
    }

    /// The outputs of one example: the fresh plan (human with the bid tables, JSON, execution),
    /// the lockfile that records it, and a second plan against a lockfile whose listeners and
    /// ingress rules were changed (the diff shows both encodings).
    static func outputs(_ example: String) throws -> [(name: String, text: String)] {
        let path = repositoryRoot.appendingPathComponent("examples/\(example).yaml").path
        let manifest = try #require(ManifestLoader.load(path: path).manifest)
        let placement = try PodPlacement.place(manifest, fleets: fleets(manifest), existing: [:], now: now, explain: true)
        let desired = DesiredState(
            manifest: manifest, placements: placement.placements, zones: placement.zones,
            sshCA: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGolden golden-ca").resources()
        let groups = Dictionary(PodLayout.slots(manifest).map { ($0.address, $0.group) }, uniquingKeysWith: { first, _ in first })
        func plan(_ lockfile: Lockfile?) -> Plan {
            Planner.plan(PlanInput(
                pod: manifest.pod.name, desired: desired, lockfile: lockfile, live: lockfile.map(PlannerLive.live) ?? [],
                newLineage: "golden-lineage", regions: RegionTarget.targets(of: manifest), groups: groups))
        }
        let fresh = plan(nil)
        var lockfile = Lockfile.new(pod: manifest.pod.name, lineage: "11111111-2222-3333-4444-555555555555")
        lockfile.serial = 3
        for spec in desired {
            lockfile.resources[spec.address] = ResourceRecord(
                spec: spec, resource: CloudResource(cloudID: "id-\(spec.address.region)-\(spec.address.name)-\(spec.kind.rawValue)",
                                                    outputs: ["arn": "arn:golden:\(spec.address)"]),
                token: "cz-golden")
        }
        let lockText = String(decoding: LockfileCodec.encode(lockfile), as: UTF8.self)
        var changed = lockfile
        for (address, record) in lockfile.resources {
            if record.kind == .loadBalancer { changed.resources[address]?.attributes["listeners"] = "http/8080>80;tcp/22>22" }
            if record.kind == .firewall {
                changed.resources[address]?.attributes["ingress"] = "tcp/443/0.0.0.0/0;udp/500-4500/10.9.0.0/16"
            }
        }
        let drifted = plan(changed)
        let view = PlanView(terminal: Terminal(stdoutIsTTY: false, stdinIsTTY: false, color: false))
        return [
            ("plan.txt", view.render(fresh, traces: placement.traces, explain: true)),
            ("plan.json", try jsonText(PlanJSON(fresh, traces: placement.traces))),
            ("execution.json", try jsonText(fresh)),
            ("lockfile.json", lockText),
            ("changed-plan.txt", view.render(drifted)),
            ("changed-plan.json", try jsonText(PlanJSON(drifted, traces: [:]))),
            ("changed-execution.json", try jsonText(drifted)),
        ]
    }

    @Test(arguments: examples)
    func outputMatchesTheRecordedRelease(example: String) throws {
        let record = ProcessInfo.processInfo.environment["CATALYZE_RECORD_GOLDEN"] == "1"
        for (name, text) in try Self.outputs(example) {
            let file = Self.folder.appendingPathComponent("\(example)/\(name)")
            if record {
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: file)
                continue
            }
            let golden = try String(contentsOf: file, encoding: .utf8)
            #expect(text == golden, "\(example)/\(name) differs from the recorded output (Tests/Fixtures/golden)")
        }
    }

    /// A recorded lockfile reads back and writes out unchanged (the lockfile the release before wrote).
    @Test(arguments: examples)
    func recordedLockfileRoundTrips(example: String) throws {
        let file = Self.folder.appendingPathComponent("\(example)/lockfile.json")
        let bytes = Array(try Data(contentsOf: file))
        let lockfile = try LockfileCodec.decode(bytes, path: file.path)
        #expect(lockfile.resources.count > 10)
        #expect(LockfileCodec.encode(lockfile) == bytes)
    }
}

/// What refresh would report for a lockfile that matches the cloud.
enum PlannerLive {
    static func live(_ lockfile: Lockfile) -> [LiveResource] {
        lockfile.sortedRecords.map {
            LiveResource(address: $0.address, kind: $0.kind, resource: $0.cloudResource, operationToken: $0.token, lineage: lockfile.lineage)
        }
    }
}
