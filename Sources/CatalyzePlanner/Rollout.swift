import CatalyzeCore
import CatalyzeDrivers

/// Where one change stands in the rolling replacement of an anti-affinity group.
///
/// When members of a group (e.g. `acme-prod/primary/app`) are replaced, they go one at a time:
/// member `position` is destroyed and made anew (its instance, then its load-balancer target or
/// volume attachment), and only when its new target passes its health check does member
/// `position + 1` lose its old instance. Each member is destroy-then-create: catalyze keeps one
/// instance per address and one host per member (hard anti-affinity counts the member being
/// replaced as a member until it is gone), so the group serves with one member fewer for the
/// duration of one member's replacement, never with none. Database members go replicas first, the
/// primary (`db01`) last, so a replica is never replaced together with its primary; their volumes
/// are kept and re-attached, never replaced.
public struct Rollout: Hashable, Sendable, Codable {
    /// The anti-affinity group, e.g. `acme-prod/primary/app`.
    public var group: String
    /// The member's instance address; every change of that member carries the same value.
    public var member: ResourceAddress
    /// 1-based place of the member in the group's order.
    public var position: Int
    /// How many members of the group are rolled.
    public var count: Int

    /// Creates a rollout position.
    public init(group: String, member: ResourceAddress, position: Int, count: Int) {
        self.group = group
        self.member = member
        self.position = position
        self.count = count
    }

    /// `rolling 1/2`, as the plan shows it.
    public var label: String { "rolling \(position)/\(count)" }
}

extension Planner {
    /// Puts the members of each anti-affinity group that are being made anew into one order (see
    /// `Rollout`) and marks their changes with it.
    ///
    /// A member rolls when its instance is replaced, or when a resource that depends on its kept
    /// instance (its load-balancer target, its volume attachment) is replaced or made anew: a
    /// target recreated after an earlier rollout stopped on an unhealthy member must pass its
    /// health check before the next member goes. Only groups of two members or more roll.
    static func roll(
        _ changes: inout [ResourceAddress: PlannedChange], groups: [ResourceAddress: String],
        recorded: (ResourceAddress) -> Bool
    ) {
        var members: [ResourceAddress: [ResourceAddress]] = [:]  // member → its changing addresses
        for change in changes.values where change.action == .replace || change.action == .create {
            if change.spec.kind == .instance {
                if change.action == .replace, groups[change.address] != nil { members[change.address, default: []].append(change.address) }
                continue
            }
            for dependency in change.spec.replacingDependencies
            where groups[dependency] != nil && (change.action == .replace || recorded(dependency)) {
                members[dependency, default: []].append(change.address)
            }
        }
        var size: [String: Int] = [:]
        for group in groups.values { size[group, default: 0] += 1 }
        var byGroup: [String: [ResourceAddress]] = [:]
        for member in members.keys {
            guard let group = groups[member], size[group, default: 0] > 1 else { continue }
            byGroup[group, default: []].append(member)
        }
        for (group, list) in byGroup {
            // Databases: replicas first, the primary (the first member) last.
            let database = list.contains { changes[$0]?.spec.attributes["role"] == "db" }
            let ordered = database ? list.sorted(by: >) : list.sorted()
            for (index, member) in ordered.enumerated() {
                let rollout = Rollout(group: group, member: member, position: index + 1, count: ordered.count)
                for address in members[member] ?? [] { changes[address]?.rollout = rollout }
                if changes[member]?.action != .noop { changes[member]?.rollout = rollout }
            }
        }
    }
}
