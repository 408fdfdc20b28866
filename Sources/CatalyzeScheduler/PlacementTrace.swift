import CatalyzeCore

/// The `--explain` record: for each container, every host's numbers, bid and outcome.
///
/// A value (Codable, for `--json`); `renderTable()` gives the human view.
public struct PlacementTrace: Hashable, Sendable, Codable {
    /// The policy the bids were computed with (weights, minimums, rule).
    public var policy: PlacementPolicy
    /// One step per demand, in placement order.
    public var steps: [PlacementStep]

    /// Creates a trace.
    public init(policy: PlacementPolicy, steps: [PlacementStep]) {
        self.policy = policy
        self.steps = steps
    }
}

/// One container's placement: who bid, who won.
public struct PlacementStep: Hashable, Sendable, Codable {
    /// The demand's id.
    public var demandID: String
    /// Its anti-affinity group.
    public var group: String
    /// Its size.
    public var size: Resources
    /// The winning host (or the kept one).
    public var hostID: String
    /// Kept, placed or moved.
    public var decision: Decision
    /// Every host, best bid first, filtered hosts last by id; empty for a kept placement.
    public var candidates: [Candidate]

    /// Creates a step.
    public init(demandID: String, group: String, size: Resources, hostID: String, decision: Decision, candidates: [Candidate]) {
        self.demandID = demandID
        self.group = group
        self.size = size
        self.hostID = hostID
        self.decision = decision
        self.candidates = candidates
    }
}

/// One host's part in one placement.
public struct Candidate: Hashable, Sendable, Codable {
    /// The host's id.
    public var hostID: String
    /// Measured CPU %, when reported.
    public var cpuPercent: Double?
    /// Measured memory %, when reported.
    public var memoryPercent: Double?
    /// Age of the sample, when reported.
    public var metricAge: TimeSpan?
    /// Where the CPU and memory figures come from (`agent`, or how they were derived), when reported.
    public var cpuSource: String?
    public var memorySource: String?
    /// The host's capacity.
    public var capacity: Resources
    /// What would be left after placing this container (nil when it does not fit).
    public var freeAfter: Resources?
    /// The bid's parts (nil for a filtered host).
    public var bid: Bid?
    /// Won, lost (by how much) or filtered (why).
    public var outcome: Outcome

    /// Creates a candidate row.
    public init(
        hostID: String, cpuPercent: Double?, memoryPercent: Double?, metricAge: TimeSpan?, capacity: Resources,
        freeAfter: Resources?, bid: Bid?, outcome: Outcome, cpuSource: String? = nil, memorySource: String? = nil
    ) {
        self.hostID = hostID
        self.cpuPercent = cpuPercent
        self.memoryPercent = memoryPercent
        self.metricAge = metricAge
        self.cpuSource = cpuSource ?? (cpuPercent == nil ? nil : HostMetrics.agent)
        self.memorySource = memorySource ?? (memoryPercent == nil ? nil : HostMetrics.agent)
        self.capacity = capacity
        self.freeAfter = freeAfter
        self.bid = bid
        self.outcome = outcome
    }

    /// How a host fared.
    public enum Outcome: Hashable, Sendable, Codable, CustomStringConvertible {
        /// It had the highest bid (lowest host id among equal bids).
        case won
        /// It bid less than the winner by `margin` (0 when it lost the id tie-break).
        case lost(margin: Double)
        /// A checker turned it down.
        case filtered(Rejection)

        /// `won`, `lost by 0.070`, `filtered: capacity: …`.
        public var description: String {
            switch self {
            case .won: "won"
            case .lost(let margin) where margin == 0: "lost on tie (host id)"
            case .lost(let margin) where margin < 0.0005: "lost by <0.001"
            case .lost(let margin): "lost by \(Fixed.format(margin))"
            case .filtered(let reason): "filtered: \(reason)"
            }
        }
    }
}

/// A bid, in pieces a person can add up: each term, its weighted value, the penalty and the total.
public struct Bid: Hashable, Sendable, Codable {
    /// `1 − cpu%/100`.
    public var cpuHeadroom: Double
    /// `1 − memory%/100`.
    public var memoryHeadroom: Double
    /// vCPUs left after placing / vCPU capacity.
    public var freeVCPU: Double
    /// Memory left after placing / memory capacity.
    public var freeMemory: Double
    /// The four weighted terms, in the order above.
    public var weighted: [Double]
    /// Siblings already on the host (counted only under `preferred`).
    public var siblings: Int
    /// `penalty × siblings`, subtracted.
    public var penalty: Double
    /// `Σ weighted − penalty`, compared exactly (shown to 3 decimals).
    public var total: Double

    /// Creates a bid record.
    public init(
        cpuHeadroom: Double, memoryHeadroom: Double, freeVCPU: Double, freeMemory: Double, weighted: [Double],
        siblings: Int, penalty: Double, total: Double
    ) {
        self.cpuHeadroom = cpuHeadroom
        self.memoryHeadroom = memoryHeadroom
        self.freeVCPU = freeVCPU
        self.freeMemory = freeMemory
        self.weighted = weighted
        self.siblings = siblings
        self.penalty = penalty
        self.total = total
    }
}
