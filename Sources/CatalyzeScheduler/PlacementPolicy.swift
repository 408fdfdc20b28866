import CatalyzeCore
import CatalyzeModel

/// How placement decides: bid weights, minimums, the anti-affinity rule and metric freshness.
///
/// The manifest supplies it; every field has a documented default (see `PLACEMENT.md`).
public struct PlacementPolicy: Hashable, Sendable, Codable {
    /// The weight of each bid term.
    public var weights: BidWeights
    /// Lower bounds a host must still meet after taking the container.
    public var minimums: PlacementMinimums
    /// Whether siblings may share a host.
    public var antiAffinity: AntiAffinityRule
    /// Metrics older than this make a host ineligible. Default 10m.
    public var maxMetricAge: TimeSpan

    /// Creates a policy; every argument defaults to the documented value.
    public init(
        weights: BidWeights = BidWeights(), minimums: PlacementMinimums = PlacementMinimums(),
        antiAffinity: AntiAffinityRule = .required, maxMetricAge: TimeSpan = TimeSpan(seconds: PlacementDefaults.maxMetricAgeSeconds)
    ) {
        self.weights = weights
        self.minimums = minimums
        self.antiAffinity = antiAffinity
        self.maxMetricAge = maxMetricAge
    }

    /// The documented defaults.
    public static let standard = PlacementPolicy()

    /// Every problem with the numbers (negative or non-finite weights, percents outside 0–100).
    public var problems: [String] {
        var found: [String] = []
        for (name, value) in weights.named where !(value.isFinite && value >= 0) {
            found.append("\(name) must be a finite number ≥ 0, got \(value)")
        }
        for (name, value) in minimums.named where !(value.isFinite && value >= 0 && value <= 100) {
            found.append("\(name) must be a percent between 0 and 100, got \(value)")
        }
        if case .preferred(let penalty) = antiAffinity, !(penalty.isFinite && penalty >= 0) {
            found.append("preferredPenalty must be a finite number ≥ 0, got \(penalty)")
        }
        if maxMetricAge.seconds < 0 { found.append("maxMetricAge must not be negative") }
        return found
    }
}

/// The weight of each bid term: `bid = Σ weight × term`, every term between 0 and 1.
public struct BidWeights: Hashable, Sendable, Codable {
    /// Weight of `cpuHeadroom = 1 − cpu% / 100`. Default 0.3.
    public var cpuHeadroom: Double
    /// Weight of `memoryHeadroom = 1 − memory% / 100`. Default 0.3.
    public var memoryHeadroom: Double
    /// Weight of `freeVCPU = vCPUs left after placing / vCPU capacity`. Default 0.2.
    public var freeVCPU: Double
    /// Weight of `freeMemory = memory left after placing / memory capacity`. Default 0.2.
    public var freeMemory: Double

    /// Creates weights; defaults 0.3, 0.3, 0.2, 0.2 (`PlacementDefaults`: they sum to 1, so a bid lies in 0…1).
    public init(
        cpuHeadroom: Double = PlacementDefaults.cpuWeight, memoryHeadroom: Double = PlacementDefaults.memoryWeight,
        freeVCPU: Double = PlacementDefaults.freeVCPUWeight, freeMemory: Double = PlacementDefaults.freeMemoryWeight
    ) {
        self.cpuHeadroom = cpuHeadroom
        self.memoryHeadroom = memoryHeadroom
        self.freeVCPU = freeVCPU
        self.freeMemory = freeMemory
    }

    /// The weights with their manifest keys (`scheduling.weights.*`), in bid order.
    public var named: [(String, Double)] {
        [("weights.cpu", cpuHeadroom), ("weights.memory", memoryHeadroom), ("weights.freeVcpu", freeVCPU),
         ("weights.freeMemory", freeMemory)]
    }
}

/// Lower bounds, in percent, a host must meet to be eligible.
///
/// The headroom bounds read the measured metrics; the free bounds are computed after placing the container.
public struct PlacementMinimums: Hashable, Sendable, Codable {
    /// `100 − cpu%` must be at least this. Default 10 (no host above 90 % CPU).
    public var cpuHeadroomPercent: Double
    /// `100 − memory%` must be at least this. Default 10.
    public var memoryHeadroomPercent: Double
    /// Free vCPUs after placing, as a percent of capacity, must be at least this. Default 0.
    public var freeVCPUPercent: Double
    /// Free memory after placing, as a percent of capacity, must be at least this. Default 0.
    public var freeMemoryPercent: Double

    /// Creates minimums; defaults 10, 10, 0, 0 (`PlacementDefaults`).
    public init(
        cpuHeadroomPercent: Double = PlacementDefaults.cpuHeadroomPercent,
        memoryHeadroomPercent: Double = PlacementDefaults.memoryHeadroomPercent,
        freeVCPUPercent: Double = PlacementDefaults.freeVCPUPercent, freeMemoryPercent: Double = PlacementDefaults.freeMemoryPercent
    ) {
        self.cpuHeadroomPercent = cpuHeadroomPercent
        self.memoryHeadroomPercent = memoryHeadroomPercent
        self.freeVCPUPercent = freeVCPUPercent
        self.freeMemoryPercent = freeMemoryPercent
    }

    /// The minimums with their manifest keys (`scheduling.minimums.*`).
    public var named: [(String, Double)] {
        [("minimums.cpuHeadroomPercent", cpuHeadroomPercent), ("minimums.memoryHeadroomPercent", memoryHeadroomPercent),
         ("minimums.freeVcpuPercent", freeVCPUPercent), ("minimums.freeMemoryPercent", freeMemoryPercent)]
    }
}

/// Whether members of one anti-affinity group may share a physical host.
public enum AntiAffinityRule: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Never (the default): placement fails rather than break it.
    case required
    /// Allowed, at a cost: `penalty` is subtracted from a host's bid per sibling already on it.
    case preferred(penalty: Double)

    /// `required` or `preferred (penalty 0.25 per sibling)`.
    public var description: String {
        switch self {
        case .required: "required"
        case .preferred(let penalty): "preferred (penalty \(Fixed.format(penalty)) per sibling)"
        }
    }
}
