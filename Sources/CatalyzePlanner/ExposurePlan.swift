import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeState

/// The plan of an exposure switch: only the `firewall_rule.<purpose>-access*` resources of the
/// pod change; nothing else is looked at, so nothing else can change.
public enum ExposurePlan {
    /// Plans the rules for `purpose` (`logging` or `monitoring`) as `manifest` (with its overrides
    /// applied) wants them, against the lockfile's records of those rules.
    public static func plan(purpose: String, manifest: PodManifest, lockfile: Lockfile) -> Plan {
        var placements: [ResourceAddress: String] = [:]
        var zones: [String: String] = [:]
        for record in lockfile.sortedRecords {
            if record.kind == .instance, let host = record.attributes["host"] { placements[record.address] = host }
            if record.kind == .network, let zone = record.attributes["zone"] { zones[record.address.region] = zone }
        }
        func isRule(_ kind: ResourceKind, _ attributes: [String: String]) -> Bool {
            kind == .firewallRule && attributes["purpose"] == purpose
        }
        let desired = DesiredState(manifest: manifest, placements: placements, zones: zones, sshCA: "")
            .resources().filter { isRule($0.kind, $0.attributes) }
        var rules = lockfile
        rules.resources = lockfile.resources.filter { isRule($0.value.kind, $0.value.attributes) }
        var regions: [String: RegionTarget] = [:]
        for region in manifest.regions {
            regions[region.name] = RegionTarget(provider: Provider(rawValue: region.provider.rawValue)!, cloudRegion: region.cloudRegion)
        }
        return Planner.plan(PlanInput(
            pod: manifest.pod.name, desired: desired, lockfile: rules, live: nil, newLineage: lockfile.lineage,
            regions: regions))
    }
}
