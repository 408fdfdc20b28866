import CatalyzeCore
import CatalyzeDrivers
import CatalyzeExecutor
import CatalyzeModel
@testable import CatalyzePlanner
import CatalyzeState
import Foundation

/// Plans made by hand (creates of resources in region `r1` of pod `shop`), and an executor over a
/// `ScriptedDriver` and a `MemoryStateStore`.
enum ApplyFixture {
    static let pod = "shop"
    static let lineage = "11111111-2222-3333-4444-555555555555"
    static let regions = ["r1": RegionTarget(provider: .aws, cloudRegion: "us-east-1")]

    /// `r1/<kind>.<name>`.
    static func address(_ kind: ResourceKind, _ name: String) -> ResourceAddress {
        ResourceAddress(region: "r1", kind: kind, name: name)
    }

    /// A spec of `kind` named `name`; `references` maps reference keys to the addresses they name.
    static func spec(_ kind: ResourceKind, _ name: String, references: [String: ResourceAddress] = [:]) -> ResourceSpec {
        var attributes = ["name": name]
        for (key, target) in references { attributes[key] = target.description }
        return ResourceSpec(address: address(kind, name), kind: kind, provider: .aws, cloudRegion: "us-east-1", attributes: attributes)
    }

    /// A create of `spec` with the token `tok-<name>`, minted by this plan.
    static func create(_ spec: ResourceSpec) -> PlannedChange {
        PlannedChange(
            address: spec.address, action: .create, reason: "not in the lockfile", spec: spec, prior: nil, priorToken: nil,
            token: "tok-\(spec.address.name)", changes: [], freshToken: true)
    }

    /// A plan creating `specs`.
    static func plan(_ specs: [ResourceSpec]) -> Plan {
        Plan(pod: pod, lineage: lineage, serial: 1, changes: specs.map(create).sorted { $0.address < $1.address }, drift: [])
    }

    /// `count` keys, `key.k01`…, which depend on nothing.
    static func keys(_ count: Int) -> [ResourceSpec] {
        (1...count).map { spec(.key, String(format: "k%02d", $0)) }
    }

    /// The lockfile an apply starts from: saved once, empty.
    static func start(_ store: MemoryStateStore) throws -> Lockfile {
        try store.save(Lockfile.new(pod: pod, lineage: lineage))
    }

    /// An executor over `driver` and `store`, reporting into `driver.log`.
    static func executor(
        _ driver: ScriptedDriver, store: MemoryStateStore, parallelism: Int, interrupt: InterruptFlag = InterruptFlag()
    ) -> Executor {
        let log = driver.log
        return Executor(
            drivers: [.aws: driver], store: store, secrets: .none, clock: FixedClock(Date(timeIntervalSince1970: 1_700_000_000)),
            parallelism: parallelism, interrupt: interrupt, events: { log.record(.event($0)) })
    }

    /// What the next plan makes of `lockfile` when the cloud holds nothing of the pod.
    static func nextPlan(_ specs: [ResourceSpec], lockfile: Lockfile) -> Plan {
        Planner.plan(PlanInput(pod: pod, desired: specs, lockfile: lockfile, live: [], newLineage: lineage, regions: regions))
    }
}
