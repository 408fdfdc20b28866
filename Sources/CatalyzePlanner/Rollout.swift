import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// How one member of a rolling replacement is made anew.
public enum RolloutStrategy: String, Hashable, Sendable, Codable {
    /// The new instance is made (on another host), registered and healthy before the old one and
    /// its target go: the group never serves with fewer members than before. Chosen where placement
    /// finds a host with room that holds no other member of the group, the old member included.
    case createBeforeDestroy = "create-before-destroy"
    /// The old instance and its target go first, then the new one is made on the same host: the
    /// group serves with one member fewer for the duration of this member's replacement. Chosen
    /// where the fleet has no room for both at once, and always for databases (an encrypted volume
    /// attaches to one instance at a time).
    case destroyThenCreate = "destroy-then-create"
}

/// The strategy placement chose for one member, and why (see `PodPlacement.roomForNewMembers`).
public struct RolloutChoice: Hashable, Sendable {
    /// Create-before-destroy or destroy-then-create.
    public var strategy: RolloutStrategy
    /// Why, in a few words.
    public var why: String

    /// Creates a choice.
    public init(_ strategy: RolloutStrategy, why: String) {
        self.strategy = strategy
        self.why = why
    }
}

/// Where one change stands in the rolling replacement of an anti-affinity group.
///
/// When members of a group (e.g. `acme-prod/primary/app`) are replaced, they go one at a time:
/// member `position` is made anew (its instance, then its load-balancer target or volume
/// attachment), and only when its new target passes its health check, and its old instance is
/// gone, does member `position + 1` start. Each member is made anew by its `strategy`:
/// create-before-destroy where the fleet has room (the old instance keeps serving, moved in the
/// lockfile to `<name>~<cloud id>` while the new one is made under the member's address, and deleted
/// once the new one serves), else destroy-then-create for that member only. Database members go
/// replicas first, the primary (`db01`) last, so a replica is never replaced together with its
/// primary; they are always destroy-then-create, their volumes kept and re-attached, never replaced.
public struct Rollout: Hashable, Sendable, Codable {
    /// The anti-affinity group, e.g. `acme-prod/primary/app`.
    public var group: String
    /// The member's instance address; every change of that member carries the same value.
    public var member: ResourceAddress
    /// 1-based place of the member in the group's order.
    public var position: Int
    /// How many members of the group are rolled.
    public var count: Int
    /// Create-before-destroy or destroy-then-create (plan files without it: destroy-then-create).
    public var strategy: RolloutStrategy
    /// Why this strategy, in a few words (what `--explain` prints).
    public var why: String

    /// Creates a rollout position.
    public init(
        group: String, member: ResourceAddress, position: Int, count: Int, strategy: RolloutStrategy = .destroyThenCreate,
        why: String = ""
    ) {
        self.group = group
        self.member = member
        self.position = position
        self.count = count
        self.strategy = strategy
        self.why = why
    }

    /// Decodes a rollout; plan files from before create-before-destroy carry no strategy.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        group = try container.decode(String.self, forKey: .group)
        member = try container.decode(ResourceAddress.self, forKey: .member)
        position = try container.decode(Int.self, forKey: .position)
        count = try container.decode(Int.self, forKey: .count)
        strategy = try container.decodeIfPresent(RolloutStrategy.self, forKey: .strategy) ?? .destroyThenCreate
        why = try container.decodeIfPresent(String.self, forKey: .why) ?? ""
    }

    /// `rolling 1/2`, as the plan shows it.
    public var label: String { "rolling \(position)/\(count)" }
}

extension ResourceAddress {
    /// The address a create-before-destroy replacement moves the old resource's record to while
    /// the new one is made under this address: `<name>~<cloud id>`, the address refresh gives a
    /// second cloud resource tagged with this one (`Planner.duplicateAddress`), so the old resource
    /// is matched to its record by it and deleted under it.
    public func deposed(cloudID: String) -> ResourceAddress { Planner.duplicateAddress(self, cloudID: cloudID) }

    /// For a deposed address (`<name>~<cloud id>`), the address it was deposed from; nil otherwise.
    public var deposedFrom: ResourceAddress? {
        guard let cut = name.firstIndex(of: "~") else { return nil }
        return ResourceAddress(region: region, kind: kind, name: String(name[..<cut]))
    }
}

extension Planner {
    /// Puts the members of each anti-affinity group that are being made anew into one order (see
    /// `Rollout`) and marks their changes with it and with each member's strategy.
    ///
    /// A member rolls when its instance is replaced, or when a resource that depends on its kept
    /// instance (its load-balancer target, its volume attachment) is replaced or made anew: a
    /// target recreated after an earlier rollout stopped on an unhealthy member must pass its
    /// health check before the next member goes. A member with deposed records (`deposed`: the old
    /// half of a create-before-destroy an earlier apply began) rolls too: its new resources are
    /// made (or finished) and its deposed ones deleted after them. Only groups of two members or more roll.
    ///
    /// - Parameters:
    ///   - strategies: per member instance, the strategy placement found room for and why;
    ///     a member not listed is destroy-then-create.
    static func roll(
        _ changes: inout [ResourceAddress: PlannedChange], groups: [ResourceAddress: String],
        recorded: (ResourceAddress) -> Bool, deposed: Set<ResourceAddress> = [],
        strategies: [ResourceAddress: RolloutChoice] = [:]
    ) {
        // The member instance each deposed record belongs to (a target is named after its instance).
        func owner(_ address: ResourceAddress) -> ResourceAddress? {
            address.deposedFrom.map { ResourceAddress(region: $0.region, kind: .instance, name: $0.name) }
        }
        let resuming = Set(deposed.compactMap(owner))
        var members: [ResourceAddress: [ResourceAddress]] = [:]  // member → its changing addresses
        for change in changes.values {
            if change.action == .delete, deposed.contains(change.address), let member = owner(change.address), groups[member] != nil {
                members[member, default: []].append(change.address)
                continue
            }
            guard change.action == .replace || change.action == .create else { continue }
            if change.spec.kind == .instance {
                if groups[change.address] != nil, change.action == .replace || resuming.contains(change.address) {
                    members[change.address, default: []].append(change.address)
                }
                continue
            }
            for dependency in change.spec.replacingDependencies
            where groups[dependency] != nil && (change.action == .replace || recorded(dependency) || resuming.contains(dependency)) {
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
                let (strategy, why): (RolloutStrategy, String) =
                    if resuming.contains(member) {
                        (.createBeforeDestroy, "resumed: the old member serves until the new one does, then goes")
                    } else if database {
                        (.destroyThenCreate, "a database's volume attaches to one instance at a time")
                    } else if changes[member]?.action != .replace {
                        (.destroyThenCreate, "its instance is kept; only what depends on it is made anew")
                    } else {
                        strategies[member].map { ($0.strategy, $0.why) }
                            ?? (.destroyThenCreate, "no host with room for the new member beside the group's")
                    }
                let rollout = Rollout(
                    group: group, member: member, position: index + 1, count: ordered.count, strategy: strategy, why: why)
                for address in members[member] ?? [] { changes[address]?.rollout = rollout }
                if changes[member]?.action != .noop { changes[member]?.rollout = rollout }
            }
        }
    }

    /// The members a plan rolls, in order within each group (`Rollout.position`), whose instance is
    /// replaced and could be made before its old one goes: every rolled app member. `PodEngine`
    /// looks for room for each (`PodPlacement.roomForNewMembers`) and plans again with the result.
    public static func replacedMembers(_ plan: Plan) -> [(group: String, member: ResourceAddress)] {
        plan.changes
            .filter { $0.spec.kind == .instance && $0.action == .replace && $0.spec.attributes["role"] != "db" }
            .compactMap { change in change.rollout.map { (rollout: $0, address: change.address) } }
            .sorted { ($0.rollout.group, $0.rollout.position) < ($1.rollout.group, $1.rollout.position) }
            .map { (group: $0.rollout.group, member: $0.address) }
    }
}
