import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeScheduler

/// What to tell a user whose region has no fleet hosts at all: that it has none (not that every
/// host was refused), and how hosts join the fleet on that cloud.
enum FleetAdvice {
    /// `note: region 'primary' (aws us-east-1) has no fleet hosts: …`, one line.
    static func noHosts(region: RegionSpec) -> String {
        let cloud = region.provider.capabilities
        let how = cloud.fleetJoining, script = cloud.fleetSeedScript
        return "region '\(region.name)' (\(region.provider.rawValue) \(region.cloudRegion)) has no fleet hosts: \(how); "
            + "against an emulator, \(script) makes some"
    }

    /// The advice for a placement that failed because the region had no host to consider.
    static func hint(for error: PlacementError, manifest: PodManifest?) -> String? {
        let demand: String
        switch error {
        case let .noEligibleHost(demandID, _, considered) where considered.isEmpty: demand = demandID
        case let .antiAffinityUnsatisfiable(_, demandID, _, considered) where considered.isEmpty: demand = demandID
        default: return nil
        }
        let name = demand.split(separator: "/").first.map(String.init)
        guard let region = manifest?.regions.first(where: { $0.name == name }) else { return nil }
        return noHosts(region: region)
    }
}
