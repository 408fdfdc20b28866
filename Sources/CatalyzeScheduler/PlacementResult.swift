/// What placement decided: one assignment per demand, in the order the demands were given.
public struct PlacementResult: Hashable, Sendable, Codable {
    /// One entry per demand, same order as the input.
    public var assignments: [Assignment]
    /// The explain trace, when asked for.
    public var trace: PlacementTrace?

    /// Creates a result.
    public init(assignments: [Assignment], trace: PlacementTrace? = nil) {
        self.assignments = assignments
        self.trace = trace
    }

    /// Demand id → host id (what the lockfile stores).
    public var hostByDemand: [String: String] {
        Dictionary(assignments.map { ($0.demandID, $0.hostID) }, uniquingKeysWith: { first, _ in first })
    }
}

/// Where one container goes, and whether that is new.
public struct Assignment: Hashable, Sendable, Codable {
    /// The demand's id, e.g. `primary/instance.app01`.
    public var demandID: String
    /// The chosen host's id.
    public var hostID: String
    /// Kept, newly placed, or moved (and why).
    public var decision: Decision

    /// Creates an assignment.
    public init(demandID: String, hostID: String, decision: Decision) {
        self.demandID = demandID
        self.hostID = hostID
        self.decision = decision
    }
}

/// How an assignment came about.
public enum Decision: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The lockfile's placement stands (no churn).
    case kept
    /// A container that had no placement was placed.
    case placed
    /// A container that had one was placed again: its old host and the reason.
    case moved(from: String, reason: MoveReason)

    /// `kept`, `placed`, `moved from h1 (host gone)`.
    public var description: String {
        switch self {
        case .kept: "kept"
        case .placed: "placed"
        case .moved(let from, let reason): "moved from \(from) (\(reason))"
        }
    }
}

/// Why a lockfile placement was not kept.
public enum MoveReason: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The host is no longer in the fleet.
    case hostGone
    /// The host is unhealthy.
    case hostUnhealthy(String)
    /// The container now wants another region or zone.
    case placeChanged
    /// The caller asked for the container to be replaced (e.g. its size changed).
    case replaceRequested
    /// Under the `required` rule it shared its host with a sibling that was kept (lower id wins).
    case sharedWithSibling(String)

    /// Human wording.
    public var description: String {
        switch self {
        case .hostGone: "host gone"
        case .hostUnhealthy(let why): "host unhealthy: \(why)"
        case .placeChanged: "region or zone changed"
        case .replaceRequested: "replacement requested"
        case .sharedWithSibling(let sibling): "shared its host with sibling \(sibling)"
        }
    }
}
