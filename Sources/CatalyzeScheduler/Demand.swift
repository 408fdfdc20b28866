/// One container to place: a member of a pod role such as `app01`.
public struct Demand: Hashable, Sendable, Codable {
    /// Its resource address, e.g. `primary/instance.app01` (unique within one call).
    public var id: String
    /// Its anti-affinity group, e.g. `acme/primary/app`: no two members share a physical host.
    public var group: String
    /// Cloud region it must run in (the same spelling as `FleetHost.region`).
    public var region: String
    /// Zone it must run in, or nil for any zone of the region.
    public var zone: String?
    /// What it needs.
    public var size: Resources

    /// Creates a demand.
    public init(id: String, group: String, region: String, zone: String? = nil, size: Resources) {
        self.id = id
        self.group = group
        self.region = region
        self.zone = zone
        self.size = size
    }
}
