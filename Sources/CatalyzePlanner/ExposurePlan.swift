import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzeState

/// The plan of an exposure switch: only the `firewall_rule.<purpose>-access*` resources of the
/// pod change; nothing else is looked at, so nothing else can change.
public enum ExposurePlan {
    /// Plans the rules for `purpose` (`logging` or `monitoring`) as `manifest` (with its overrides
    /// applied) wants them, against the lockfile's records of those rules.
    public static func plan(purpose: String, manifest: PodManifest, lockfile: Lockfile) -> Plan {
        let placements = PodPlacement.recordedHosts(lockfile)
        var zones: [String: String] = [:]
        for record in lockfile.sortedRecords where record.kind == .network {
            if let zone = record.attributes["zone"] { zones[record.address.region] = zone }
        }
        func isRule(_ kind: ResourceKind, _ attributes: [String: String]) -> Bool {
            kind == .firewallRule && attributes["purpose"] == purpose
        }
        let desired = DesiredState(manifest: manifest, placements: placements, zones: zones, sshCA: "")
            .resources().filter { isRule($0.kind, $0.attributes) }
        var rules = lockfile
        rules.resources = lockfile.resources.filter { isRule($0.value.kind, $0.value.attributes) }
        return Planner.plan(PlanInput(
            pod: manifest.pod.name, desired: desired, lockfile: rules, live: nil, newLineage: lockfile.lineage,
            regions: RegionTarget.targets(of: manifest)))
    }
}
