/// Why placement could not produce a complete, valid assignment.
///
/// Tests match on the case; all wording lives in `description`.
public enum PlacementError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The group's members cannot be kept apart: every host was either taken by a sibling or filtered.
    case antiAffinityUnsatisfiable(group: String, demandID: String, rule: AntiAffinityRule, considered: [HostVerdict])
    /// No host passed the checkers, and anti-affinity was not the reason.
    case noEligibleHost(demandID: String, group: String, considered: [HostVerdict])
    /// Two demands share an id.
    case duplicateDemand(String)
    /// Two hosts share an id.
    case duplicateHost(String)
    /// A demand asks for a negative number of vCPUs.
    case negativeSize(String)
    /// The policy's numbers are out of range.
    case invalidPolicy([String])

    /// The full message: the rule, the group and every host considered with its reason.
    public var description: String {
        switch self {
        case .antiAffinityUnsatisfiable(let group, let demandID, let rule, let considered):
            let taken = considered.filter { if case .siblingOnHost = $0.reason { true } else { false } }.count
            return """
                cannot place \(demandID): anti-affinity rule '\(rule)' requires every member of group \
                '\(group)' on a different physical host, and no host is left (\(taken) of \(considered.count) \
                hosts already hold a member, the rest are filtered):
                \(Self.lines(considered))
                hint: add eligible hosts to the fleet, lower the group's replicas, or set antiAffinity to preferred
                """
        case .noEligibleHost(let demandID, let group, let considered):
            return """
                cannot place \(demandID) (group '\(group)'): no host passed the checkers (\(considered.count) considered):
                \(Self.lines(considered))
                """
        case .duplicateDemand(let id): return "demand id '\(id)' appears more than once"
        case .negativeSize(let id): return "demand '\(id)' asks for a negative number of vCPUs"
        case .duplicateHost(let id): return "host id '\(id)' appears more than once in the fleet"
        case .invalidPolicy(let problems): return "invalid placement policy: " + problems.joined(separator: "; ")
        }
    }

    private static func lines(_ verdicts: [HostVerdict]) -> String {
        verdicts.map { "  \($0.hostID): \($0.reason)" }.joined(separator: "\n")
    }
}

/// One host's verdict in a failed placement.
public struct HostVerdict: Hashable, Sendable, Codable {
    /// The host's id.
    public var hostID: String
    /// The checker's reason.
    public var reason: Rejection

    /// Creates a verdict.
    public init(hostID: String, reason: Rejection) {
        self.hostID = hostID
        self.reason = reason
    }
}
