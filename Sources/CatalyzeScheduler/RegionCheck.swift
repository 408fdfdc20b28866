/// Feasibility: the host is in the container's region and, when it names zones, one of them.
enum RegionCheck {
    /// Nil when `h` is in the right place for `demand` (interned `region`; `zoneAllowed` from its zone set).
    static func rejection(of h: Int, region: Int32, zoneAllowed: Bool, demand: Demand, in fleet: FleetState) -> Rejection? {
        if fleet.regionID[h] != region {
            return .wrongRegion(host: fleet.hosts[h].region, wanted: demand.region)
        }
        if !zoneAllowed {
            return .wrongZone(host: fleet.hosts[h].zone, wanted: demand.zones.sorted())
        }
        return nil
    }
}
