import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzeScheduler
import Foundation

extension PodPlacement {
    /// Where each replaced member of a rolling replacement can be made before its old instance
    /// goes (create-before-destroy), or why it cannot (destroy-then-create for that member only).
    ///
    /// The members are taken in their rollout order (`Planner.replacedMembers`). For each, the
    /// scheduler places one more container of the member's group and new size while every member
    /// stays where it is at that moment: the members not yet rolled on their recorded hosts, the old
    /// member being replaced included, and those rolled before it on their new hosts (their old
    /// hosts freed, since the next member starts only once the previous old instance is gone). So
    /// under `antiAffinity: required` the new member lands on a host holding no member of its group,
    /// with room for it beside everything already there; where none is left, the member is
    /// destroy-then-create on its recorded host.
    ///
    /// - Parameters:
    ///   - members: the replaced members, in rollout order within each group.
    ///   - existing: the lockfile's instances (address → host).
    /// - Returns: per member, the choice; `hosts` holds the new host of each create-before-destroy member.
    public static func roomForNewMembers(
        _ manifest: PodManifest, fleets: [String: [CatalyzeDrivers.FleetHost]], existing: [ResourceAddress: String],
        members: [ResourceAddress], now: Date
    ) -> (choices: [ResourceAddress: RolloutChoice], hosts: [ResourceAddress: String]) {
        let policy = PlacementPolicy(manifest.scheduling)
        let slots = PodLayout.slots(manifest)
        var choices: [ResourceAddress: RolloutChoice] = [:]
        var moved: [ResourceAddress: String] = [:]
        for region in manifest.regions {
            let mine = slots.filter { $0.region == region.name }
            let rolled = members.filter { $0.region == region.name }
            guard !rolled.isEmpty else { continue }
            let fleet = fleets[region.name] ?? []
            let zone = region.zones.first ?? busiestZone(fleet) ?? region.cloudRegion
            // What runs on each host apart from the pod's own recorded instances, as `place` sees it.
            let hosts = schedulerHosts(fleet, ownSlots: mine, existing: existing)
            var demands = Self.demands(mine, cloudRegion: region.cloudRegion, zone: zone)
            var where_: [String: String] = [:]
            for slot in mine { if let host = existing[slot.address] { where_[slot.address.description] = host } }
            for member in rolled {
                guard let slot = mine.first(where: { $0.address == member }), let old = where_[member.description] else { continue }
                let extra = Demand(
                    id: member.description + "+new", group: slot.group, region: region.cloudRegion, zones: [zone],
                    size: Resources(vCPU: slot.vcpu, memory: ByteSize(bytes: UInt64(slot.memoryMiB) << 20)))
                demands.append(extra)
                defer { demands.removeLast() }
                do {
                    let result = try Scheduler.place(demands, on: hosts, existing: where_, policy: policy, now: now)
                    guard let host = result.hostByDemand[extra.id] else { continue }
                    choices[member] = RolloutChoice(
                        .createBeforeDestroy, why: "the new member goes to host \(host) while the old one serves on \(old)")
                    moved[member] = host
                    where_[member.description] = host
                } catch {
                    choices[member] = RolloutChoice(.destroyThenCreate, why: "no room for a second \(member.name): " + summary(error))
                }
            }
        }
        return (choices, moved)
    }

    /// Every host's reason from a failed placement, on one line.
    static func summary(_ error: PlacementError) -> String {
        let verdicts: [HostVerdict] = switch error {
        case .antiAffinityUnsatisfiable(_, _, _, let considered), .noEligibleHost(_, _, let considered): considered
        default: []
        }
        guard !verdicts.isEmpty else { return error.description }
        return verdicts.sorted { $0.hostID < $1.hostID }.map { "\($0.hostID) \($0.reason)" }.joined(separator: "; ")
    }
}
