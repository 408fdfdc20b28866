import CatalyzeCore
import Foundation

/// One physical machine dedicated to us, as the inventory reports it.
public struct FleetHost: Hashable, Sendable, Codable {
    /// Provider-unique id (AWS dedicated host id, Rackspace `hostId`). Ties are broken by it.
    public var id: String
    /// `aws` or `rackspace` (shown in `--explain`; not used to decide).
    public var provider: String
    /// Cloud region, e.g. `us-east-1`, `DFW`.
    public var region: String
    /// Availability zone, when the provider has them.
    public var zone: String?
    /// What the machine offers in total.
    public var capacity: Resources
    /// What already runs on it (ours and anybody else's).
    public var residents: [Resident]
    /// The last utilisation sample, nil when none was reported.
    public var metrics: HostMetrics?
    /// Whether the provider reports it fit for new work.
    public var health: HostHealth
    /// The largest container it can run, nil when any that fits its free capacity will do: a host
    /// that runs one instance type only (an AWS Dedicated Host allocated for `m5.xlarge`) runs
    /// nothing bigger than that type, however much is free.
    public var largestInstance: Resources?

    /// Creates a host.
    public init(
        id: String, provider: String = "aws", region: String, zone: String? = nil, capacity: Resources,
        residents: [Resident] = [], metrics: HostMetrics?, health: HostHealth = .healthy, largestInstance: Resources? = nil
    ) {
        self.id = id
        self.provider = provider
        self.region = region
        self.zone = zone
        self.capacity = capacity
        self.residents = residents
        self.metrics = metrics
        self.health = health
        self.largestInstance = largestInstance
    }

    /// The sum of the residents' sizes.
    public var allocated: Resources { residents.reduce(.zero) { $0 + $1.size } }
}

/// Something already running on a host.
public struct Resident: Hashable, Sendable, Codable {
    /// The demand id (`primary/instance.app01`) when it is one of ours, else the provider's id.
    public var id: String
    /// Its size.
    public var size: Resources

    /// Creates a resident.
    public init(id: String, size: Resources) {
        self.id = id
        self.size = size
    }
}

/// A host's measured utilisation at one instant.
public struct HostMetrics: Hashable, Sendable, Codable {
    /// CPU utilisation, percent (0–100).
    public var cpuPercent: Double
    /// Memory utilisation, percent (0–100).
    public var memoryPercent: Double
    /// When the sample was taken; its age is `now − sampledAt`.
    public var sampledAt: Date
    /// Where the CPU figure comes from: `agent` (reported on the host) or how it was derived
    /// (`instances`, `allocation`); shown by `--explain`, never used to decide.
    public var cpuSource: String
    /// Where the memory figure comes from, as `cpuSource`.
    public var memorySource: String

    /// The source of a figure an agent on the host reported.
    public static let agent = "agent"

    /// Creates a sample.
    public init(cpuPercent: Double, memoryPercent: Double, sampledAt: Date, cpuSource: String = agent, memorySource: String = agent) {
        self.cpuPercent = cpuPercent
        self.memoryPercent = memoryPercent
        self.sampledAt = sampledAt
        self.cpuSource = cpuSource
        self.memorySource = memorySource
    }

    private enum CodingKeys: String, CodingKey { case cpuPercent, memoryPercent, sampledAt, cpuSource, memorySource }

    /// Decodes a sample; one written before sources were recorded came from an agent.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cpuPercent = try c.decode(Double.self, forKey: .cpuPercent)
        memoryPercent = try c.decode(Double.self, forKey: .memoryPercent)
        sampledAt = try c.decode(Date.self, forKey: .sampledAt)
        cpuSource = try c.decodeIfPresent(String.self, forKey: .cpuSource) ?? Self.agent
        memorySource = try c.decodeIfPresent(String.self, forKey: .memorySource) ?? Self.agent
    }
}

/// Whether a host may take new containers.
public enum HostHealth: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Fit for work.
    case healthy
    /// Not fit, with the provider's word for why (e.g. `under-assessment`).
    case unhealthy(String)

    /// `healthy` or `unhealthy (reason)`.
    public var description: String {
        switch self {
        case .healthy: "healthy"
        case .unhealthy(let reason): "unhealthy (\(reason))"
        }
    }
}
