/// Feasibility: the host is in the container's region and, when it names one, its zone.
enum RegionCheck {
    /// Nil when `h` is in the right place for `demand` (whose interned ids are `region` and `zone`, −2 = any zone).
    static func rejection(of h: Int, region: Int32, zone: Int32, demand: Demand, in fleet: FleetState) -> Rejection? {
        if fleet.regionID[h] != region {
            return .wrongRegion(host: fleet.hosts[h].region, wanted: demand.region)
        }
        if zone != -2, fleet.zoneID[h] != zone {
            return .wrongZone(host: fleet.hosts[h].zone, wanted: demand.zone ?? "")
        }
        return nil
    }
}
