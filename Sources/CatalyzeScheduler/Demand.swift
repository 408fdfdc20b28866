/// One container to place: a member of a pod role such as `app01`.
public struct Demand: Hashable, Sendable, Codable {
    /// Its resource address, e.g. `primary/instance.app01` (unique within one call).
    public var id: String
    /// Its anti-affinity group, e.g. `acme/primary/app`: no two members share a physical host.
    public var group: String
    /// Cloud region it must run in (the same spelling as `FleetHost.region`).
    public var region: String
    /// Zones it may run in; empty for any zone of the region (the manifest region's `zones`).
    public var zones: [String]
    /// What it needs.
    public var size: Resources

    /// Creates a demand.
    public init(id: String, group: String, region: String, zones: [String] = [], size: Resources) {
        self.id = id
        self.group = group
        self.region = region
        self.zones = zones
        self.size = size
    }
}
