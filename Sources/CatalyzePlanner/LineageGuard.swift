import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeState
import Foundation

/// What `catalyze import` takes over.
public enum ImportSelection: Hashable, Sendable, Codable {
    /// Every resource of the pod tagged with this lineage (another lockfile's).
    case lineage(String)
    /// One resource, found by the pod's tags at `address` with this cloud id (untagged or foreign).
    case resource(ResourceAddress, cloudID: String)
}

/// A live resource a plan may not touch: another lockfile's, or one without a lineage that this
/// lockfile does not record.
public struct LineageConflict: Hashable, Sendable {
    /// Its address (from its `catalyze:address` tag).
    public var address: ResourceAddress
    /// Where it was seen: the cloud region.
    public var cloudRegion: String
    /// Its cloud id.
    public var cloudID: String
    /// Its `catalyze:lineage` tag; nil when it has none.
    public var lineage: String?
}

/// Why a plan stopped before proposing any change: the cloud holds resources of the pod that this
/// lockfile does not own. Every case names the pod and where the resources were seen.
public enum LineageError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Resources tagged for the pod by another lineage, or untagged and not recorded.
    case foreign(pod: String, lineage: String, conflicts: [LineageConflict])
    /// `import` from a lineage whose apply lease is still running.
    case leaseHeld(pod: String, lease: LineageLease, cloudRegion: String, address: ResourceAddress)
    /// `import` would record a second cloud resource at an address this lockfile already records.
    case importCollides(address: ResourceAddress, recorded: String, found: String)
    /// `import` found nothing to take over.
    case nothingToImport(pod: String, selection: ImportSelection)

    /// What and where, and what to do.
    public var description: String {
        switch self {
        case let .foreign(pod, lineage, conflicts):
            var lines = ["pod '\(pod)' has resources in the cloud that this lockfile (lineage \(lineage)) does not own; nothing was changed:"]
            for conflict in conflicts {
                let owner = conflict.lineage.map { "lineage \($0)" } ?? "no lineage tag, not in this lockfile"
                lines.append("  \(conflict.address) (\(conflict.cloudRegion), \(conflict.cloudID)): \(owner)")
            }
            let others = Set(conflicts.compactMap(\.lineage)).sorted()
            for other in others {
                lines.append("another folder's lockfile of lineage \(other) owns them; to take them over: catalyze import --from-lineage \(other)")
            }
            if conflicts.contains(where: { $0.lineage == nil }) {
                lines.append("to take an untagged one over: catalyze import ADDRESS CLOUD_ID")
            }
            return lines.joined(separator: "\n")
        case let .leaseHeld(pod, lease, cloudRegion, address):
            let expiry = ISO8601DateFormatter().string(from: lease.expires)
            return "pod '\(pod)': lineage \(lease.lineage) is being applied by \(lease.holder) (lease on \(address) in \(cloudRegion) "
                + "until \(expiry)); import refused while its lease is fresh: wait for that apply to end, or for the lease to expire"
        case let .importCollides(address, recorded, found):
            return "\(address): this lockfile already records it as \(recorded); the cloud also holds \(found) at that address; "
                + "nothing was imported"
        case let .nothingToImport(pod, selection):
            switch selection {
            case .lineage(let lineage):
                return "pod '\(pod)': no resource tagged with lineage \(lineage) found in the manifest's regions"
            case .resource(let address, let cloudID):
                return "pod '\(pod)': no resource \(cloudID) tagged \(address) found in the manifest's regions "
                    + "(import takes resources that carry the pod's catalyze:pod and catalyze:address tags)"
            }
        }
    }
}

/// The one-owner rule, checked between refresh and planning: a plan never adopts, changes or
/// deletes a resource of another lineage. Pure.
public enum LineageGuard {
    /// True when catalyze keeps its tags on this resource (a VPC the manifest names is the
    /// customer's: it is neither tagged nor re-tagged).
    public static func ownsTags(kind: ResourceKind, attributes: [String: String]) -> Bool {
        !(kind == .network && !(attributes["vpc"] ?? "").isEmpty)
    }

    /// Throws when the live resources hold one this plan may not touch, or (importing) when the
    /// lineage taken over is being applied or the import would collide.
    ///
    /// - A resource of this lineage: ours. One without a lineage that the lockfile records with the
    ///   same cloud id, or whose `catalyze:op` token the lockfile's journal holds for its address
    ///   (an interrupted create): ours, made before 0.2.0 (re-tagged by the plan). Anything else
    ///   is refused.
    /// - Importing: only the lease of the lineage taken over and collisions are checked; the
    ///   resources of yet other lineages are left alone (not imported, not touched).
    public static func check(
        pod: String, lineage: String, lockfile: Lockfile?, desired: [ResourceSpec], live: [LiveResource],
        regions: [String: RegionTarget], importing: ImportSelection?, now: Date
    ) throws {
        let records = lockfile?.resources ?? [:]
        let wanted = Dictionary(desired.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        func region(_ address: ResourceAddress) -> String { regions[address.region]?.cloudRegion ?? address.region }

        if let importing {
            let taken = live.filter { selects(importing, $0) }
            guard !taken.isEmpty else { throw LineageError.nothingToImport(pod: pod, selection: importing) }
            let owners = Set(taken.compactMap(\.lineage))
            for found in live.sorted(by: { $0.address < $1.address }) {
                if let lease = found.lease, owners.contains(lease.lineage), lease.lineage != lineage, lease.isFresh(at: now) {
                    throw LineageError.leaseHeld(pod: pod, lease: lease, cloudRegion: region(found.address), address: found.address)
                }
            }
            for found in taken.sorted(by: { $0.address < $1.address }) {
                if let record = records[found.address], record.cloudID != found.resource.cloudID {
                    throw LineageError.importCollides(address: found.address, recorded: record.cloudID, found: found.resource.cloudID)
                }
            }
            return
        }

        var conflicts: [LineageConflict] = []
        for found in live.sorted(by: { ($0.address, $0.resource.cloudID) < ($1.address, $1.resource.cloudID) }) {
            if found.lineage == lineage { continue }
            let attributes = wanted[found.address]?.attributes ?? records[found.address]?.attributes ?? [:]
            if !ownsTags(kind: found.kind, attributes: attributes) { continue }
            if found.lineage == nil, records[found.address]?.cloudID == found.resource.cloudID { continue }
            // An untagged create of an interrupted 0.1.0 apply: this lockfile's journal holds its token.
            if found.lineage == nil, let token = found.operationToken,
               lockfile?.journal.contains(where: { $0.token == token && $0.address == found.address }) == true { continue }
            conflicts.append(LineageConflict(
                address: found.address, cloudRegion: region(found.address), cloudID: found.resource.cloudID, lineage: found.lineage))
        }
        if !conflicts.isEmpty { throw LineageError.foreign(pod: pod, lineage: lineage, conflicts: conflicts) }
    }

    /// True when `found` is what `selection` takes over.
    public static func selects(_ selection: ImportSelection, _ found: LiveResource) -> Bool {
        switch selection {
        case .lineage(let lineage): found.lineage == lineage
        case .resource(let address, let cloudID): found.address == address && found.resource.cloudID == cloudID
        }
    }
}
