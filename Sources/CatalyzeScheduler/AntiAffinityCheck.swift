/// Feasibility: under the `required` rule, no other member of the container's group is on the host.
///
/// Under `preferred` it never rejects; the ranker subtracts the penalty instead.
enum AntiAffinityCheck {
    /// Nil when `h` holds no sibling of group index `group`, or when the rule is `preferred`.
    static func rejection(of h: Int, group: Int, demands: [Demand], in fleet: FleetState) -> Rejection? {
        guard fleet.required else { return nil }
        let siblings = fleet.siblings(on: h, group: group)
        guard siblings.count > 0 else { return nil }
        let sibling = demands[Int(siblings.first)]
        return .siblingOnHost(group: sibling.group, sibling: sibling.id)
    }
}
