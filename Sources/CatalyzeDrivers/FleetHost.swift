import CatalyzeModel
import Foundation

/// A quantity of compute: what a host has, what a container needs.
public struct Capacity: Hashable, Sendable, Codable {
    /// Virtual CPUs.
    public var vcpu: Int
    /// Memory in MiB.
    public var memoryMiB: Int
    /// Local disk in GiB (0 when not relevant).
    public var diskGiB: Int

    /// Creates a capacity.
    public init(vcpu: Int, memoryMiB: Int, diskGiB: Int = 0) {
        self.vcpu = vcpu
        self.memoryMiB = memoryMiB
        self.diskGiB = diskGiB
    }

    /// Nothing.
    public static let zero = Capacity(vcpu: 0, memoryMiB: 0, diskGiB: 0)
}

/// One physical host dedicated to us, as the cloud reports it: the scheduler's raw input.
public struct FleetHost: Hashable, Sendable, Codable {
    /// The cloud's id of the physical host (AWS `h-…`; Rackspace the Cloud Monitoring entity's host id).
    public var id: String
    /// Which cloud.
    public var provider: Provider
    /// Cloud region, e.g. `us-east-1`.
    public var region: String
    /// Availability zone (or the region again where the cloud has none).
    public var zone: String
    /// Instance family or flavor class, e.g. `m5`.
    public var family: String
    /// The whole physical server's capacity.
    public var capacity: Capacity
    /// What the instances already on it use.
    public var allocated: Capacity
    /// Cloud ids of the instances/servers already on it, sorted.
    public var instances: [String]
    /// CPU utilisation in percent, nil when no sample was found.
    public var cpuPercent: Double?
    /// Memory utilisation in percent, nil when no sample was found.
    public var memoryPercent: Double?
    /// When the newest metric sample was taken (for figures derived from live allocation: when
    /// the fleet was read).
    public var sampledAt: Date?
    /// Where `cpuPercent` comes from, nil without one.
    public var cpuSource: MetricSource?
    /// Where `memoryPercent` comes from, nil without one.
    public var memorySource: MetricSource?
    /// False when the cloud reports the host unavailable, under maintenance or failed.
    public var healthy: Bool
    /// The largest instance it runs, nil when any size of its family does: an AWS Dedicated Host
    /// allocated for one instance type runs only that type.
    public var largestInstance: Capacity?
    /// catalyze's own instances on it, named by their tags as `pod address` (for example
    /// `acme instance.primary.app01`), sorted; nil where the cloud's answer did not say. The
    /// instance carries those tags from the call that made it, so a fleet reservation whose
    /// instance is listed here is already in `allocated` even before its pipeline has written the
    /// instance's id into the ledger (counting it twice would turn other pipelines away from room
    /// that is free).
    public var podInstances: [String]?

    /// Creates a host.
    public init(
        id: String, provider: Provider, region: String, zone: String, family: String,
        capacity: Capacity, allocated: Capacity, instances: [String],
        cpuPercent: Double?, memoryPercent: Double?, sampledAt: Date?, healthy: Bool,
        cpuSource: MetricSource? = nil, memorySource: MetricSource? = nil, largestInstance: Capacity? = nil,
        podInstances: [String]? = nil
    ) {
        self.id = id
        self.provider = provider
        self.region = region
        self.zone = zone
        self.family = family
        self.capacity = capacity
        self.allocated = allocated
        self.instances = instances
        self.cpuPercent = cpuPercent
        self.memoryPercent = memoryPercent
        self.sampledAt = sampledAt
        self.cpuSource = cpuSource ?? (cpuPercent == nil ? nil : .agent)
        self.memorySource = memorySource ?? (memoryPercent == nil ? nil : .agent)
        self.healthy = healthy
        self.largestInstance = largestInstance
        self.podInstances = podInstances
    }

    /// The `podInstances` entry of `pod`'s instance at `address`.
    public static func podInstance(pod: String, address: String) -> String { "\(pod) \(address)" }

    /// Whether this host already runs (and so counts in `allocated`) the instance a fleet
    /// reservation was made for: its id is listed, or an instance tagged with its pod and address.
    public func runs(pod: String, address: String, instanceID: String?) -> Bool {
        if let instanceID, instances.contains(instanceID) { return true }
        return podInstances?.contains(Self.podInstance(pod: pod, address: address)) ?? false
    }
}

/// Where a host's utilisation figure comes from (`catalyze hosts` and `plan --explain` name it).
public enum MetricSource: String, Hashable, Sendable, Codable, CustomStringConvertible {
    /// An agent on the host reports it: `Catalyze/Hosts` on AWS, the Cloud Monitoring agent on
    /// Rackspace.
    case agent
    /// Derived from what the cloud publishes for every instance with no agent at all (AWS/EC2
    /// `CPUUtilization` of the host's instances, weighted by their vCPUs).
    case instances
    /// Derived from what is allocated on the host (memory of its instances over the server's; the
    /// CPU of a host that runs nothing is 0).
    case allocation

    /// The word the output uses.
    public var description: String { rawValue }
}
