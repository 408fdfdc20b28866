import CatalyzeCore

/// Why a feasibility checker turned a host down for one container.
public enum Rejection: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The host is in another region.
    case wrongRegion(host: String, wanted: String)
    /// The host is in none of the container's zones (or has no zone).
    case wrongZone(host: String?, wanted: [String])
    /// The provider reports the host unfit.
    case unhealthy(String)
    /// No utilisation sample was reported.
    case noMetrics
    /// The sample is older than `maxMetricAge`.
    case staleMetrics(age: TimeSpan, maximum: TimeSpan)
    /// The sample holds a percent outside 0–100 (or not a number).
    case invalidMetrics(cpuPercent: Double, memoryPercent: Double)
    /// The container does not fit: `resource` is `vCPU`, `memory` or `disk`.
    case insufficient(resource: String, needed: String, free: String)
    /// The container is bigger than the one instance size the host runs (a single-type host).
    case largerThanHostRuns(vCPU: Int, memory: String)
    /// A manifest minimum would not hold (percent values).
    case belowMinimum(name: String, value: Double, minimum: Double)
    /// Another member of the container's anti-affinity group already runs there.
    case siblingOnHost(group: String, sibling: String)

    /// Short stable name of the checker that rejected, e.g. `capacity`.
    public var checker: String {
        switch self {
        case .wrongRegion, .wrongZone: "region"
        case .unhealthy: "health"
        case .noMetrics, .staleMetrics, .invalidMetrics: "metrics"
        case .insufficient, .largerThanHostRuns: "capacity"
        case .belowMinimum: "minimum"
        case .siblingOnHost: "anti-affinity"
        }
    }

    /// One line for tables and errors, e.g. `capacity: needs 4 vCPU, 2 free`.
    public var description: String {
        switch self {
        case .wrongRegion(let host, let wanted): "region: host is in \(host), container wants \(wanted)"
        case .wrongZone(let host, let wanted): "region: host is in zone \(host ?? "(none)"), container wants \(wanted.joined(separator: " or "))"
        case .unhealthy(let why): "health: unhealthy (\(why))"
        case .noMetrics: "metrics: none reported"
        case .staleMetrics(let age, let maximum): "metrics: \(age) old, older than maxMetricAge \(maximum)"
        case .invalidMetrics(let cpu, let memory):
            "metrics: cpu \(Fixed.format(cpu, decimals: 1))%, memory \(Fixed.format(memory, decimals: 1))% outside 0–100"
        case .insufficient(let resource, let needed, let free): "capacity: needs \(needed) \(resource), \(free) free"
        case .largerThanHostRuns(let vCPU, let memory): "capacity: runs only instances of \(vCPU) vCPU, \(memory) (one instance type)"
        case .belowMinimum(let name, let value, let minimum):
            "minimum: \(name) would be \(Fixed.format(value, decimals: 1)), below \(Fixed.format(minimum, decimals: 1))"
        case .siblingOnHost(let group, let sibling): "anti-affinity: already holds \(sibling) of group \(group)"
        }
    }
}
