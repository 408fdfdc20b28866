import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzeState

/// Everything a plan is made from. All of it is data: the planner does no I/O.
public struct PlanInput: Sendable {
    /// The pod's name.
    public var pod: String
    /// What the manifest and placement want (see `DesiredState`).
    public var desired: [ResourceSpec]
    /// The lockfile, nil when the pod was never applied.
    public var lockfile: Lockfile?
    /// What refresh found in the cloud; nil when the plan is made without refreshing.
    public var live: [LiveResource]?
    /// The lineage a new lockfile will get (used for tokens when there is no lockfile yet).
    public var newLineage: String
    /// Where each manifest region lives (for resources found only in the cloud).
    public var regions: [String: RegionTarget]
    /// A `destroy`: nothing is desired because the user asked for everything to go (the reason
    /// each delete gives), not because the manifest dropped it.
    public var destroying: Bool
    /// An `import`: the plan only takes these resources over (`import` actions), nothing else.
    public var importing: ImportSelection?
    /// The anti-affinity group of each desired instance (`ContainerSlot.group`), by address: members
    /// of one group being replaced roll one at a time (`Rollout`). Empty: nothing rolls.
    public var groups: [ResourceAddress: String]
    /// Per rolled member instance, the strategy placement chose (`PodPlacement.roomForNewMembers`);
    /// a member not listed is destroy-then-create.
    public var strategies: [ResourceAddress: RolloutChoice]
    /// Recorded instances to make anew although nothing about them changed (`plan`/`apply
    /// --replace`, checked by `replaceableAddress` first): replaced with reason "replace requested",
    /// rolled as any replaced member, and never keeping a legacy principal.
    public var replacing: Set<ResourceAddress>

    /// Creates the input.
    public init(
        pod: String, desired: [ResourceSpec], lockfile: Lockfile?, live: [LiveResource]?, newLineage: String,
        regions: [String: RegionTarget], destroying: Bool = false, importing: ImportSelection? = nil,
        groups: [ResourceAddress: String] = [:], strategies: [ResourceAddress: RolloutChoice] = [:],
        replacing: Set<ResourceAddress> = []
    ) {
        self.replacing = replacing
        self.strategies = strategies
        self.importing = importing
        self.groups = groups
        self.regions = regions
        self.destroying = destroying
        self.pod = pod
        self.desired = desired
        self.lockfile = lockfile
        self.live = live
        self.newLineage = newLineage
    }
}

/// A manifest region's cloud and cloud region.
public struct RegionTarget: Hashable, Sendable {
    /// Which cloud.
    public var provider: Provider
    /// The cloud's region name.
    public var cloudRegion: String

    /// Creates a target.
    public init(provider: Provider, cloudRegion: String) {
        self.provider = provider
        self.cloudRegion = cloudRegion
    }

    /// Every region of `manifest`, by manifest region name.
    public static func targets(of manifest: PodManifest) -> [String: RegionTarget] {
        var targets: [String: RegionTarget] = [:]
        for region in manifest.regions {
            targets[region.name] = RegionTarget(provider: region.provider, cloudRegion: region.cloudRegion)
        }
        return targets
    }
}

/// desired × lockfile × live → changes with reasons, and drift. Pure: same input, same plan.
public enum Planner {
    /// Makes the plan.
    public static func plan(_ input: PlanInput) -> Plan {
        if let importing = input.importing { return importPlan(input, importing) }
        let lockfile = input.lockfile
        let lineage = lockfile?.lineage ?? input.newLineage
        let serial = lockfile?.serial ?? 0
        let records = lockfile?.resources ?? [:]
        let pending = Dictionary((lockfile?.journal ?? []).map { ($0.address, $0) }, uniquingKeysWith: { _, last in last })
        let desired = Dictionary(input.desired.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        // One live resource per address: the recorded one when the cloud holds several (the others
        // are duplicates, deleted below), else the first listed.
        // A resource whose record was deposed by a create-before-destroy (`ResourceAddress.deposed`)
        // is keyed by that record's address, not by the address it is tagged with.
        func keyed(_ found: LiveResource) -> ResourceAddress {
            let deposed = found.address.deposed(cloudID: found.resource.cloudID)
            return records[deposed]?.cloudID == found.resource.cloudID ? deposed : found.address
        }
        let deposed = Set(records.keys.filter { $0.deposedFrom != nil && desired[$0.deposedFrom!] != nil })
        let live = input.live.map { list in
            Dictionary(list.map { (keyed($0), $0) }, uniquingKeysWith: { first, other in
                records[other.address]?.cloudID == other.resource.cloudID ? other : first
            })
        }

        var drift: [Drift] = []
        var changes: [ResourceAddress: PlannedChange] = [:]

        func createToken(_ address: ResourceAddress) -> String {
            if let entry = pending[address], entry.operation == .create { return entry.token }  // resume
            if let token = live?[address]?.operationToken, records[address] == nil { return token }  // adopt
            return OperationToken.make(lineage: lineage, address: address, operation: "create", generation: serial)
        }
        // A token minted here (lineage, address, generation = this serial) cannot have been sent yet:
        // every call is journaled first, and that write moves the serial on. Only when refresh ran
        // (so an adopted resource would have been seen) and nothing is pending for the address.
        func fresh(_ address: ResourceAddress) -> Bool? {
            guard let live, live[address] == nil, pending[address] == nil else { return nil }
            return true
        }

        // Desired resources: create, update, replace or leave.
        var keptLegacyPrincipal: Set<ResourceAddress> = []
        for wanted in input.desired.sorted(by: { $0.address < $1.address }) {
            var spec = wanted
            let address = spec.address
            guard let record = records[address] else {
                let reason = live?[address] != nil ? "found in the cloud by its tags; adopting it" :
                    pending[address] != nil ? "an earlier apply was interrupted while creating it" :
                    deposed.contains(where: { $0.deposedFrom == address }) ? "the new half of a create-before-destroy" : "not in the lockfile"
                changes[address] = PlannedChange(
                    address: address, action: .create, reason: reason, spec: spec, prior: nil, priorToken: nil,
                    token: createToken(address), changes: diff(old: [:], new: spec.attributes, kind: spec.kind),
                    freshToken: fresh(address))
                continue
            }
            var current = record.attributes
            if let live {
                guard let found = live[address] else {
                    drift.append(Drift(address: address, kind: "deleted", changes: []))
                    if pending[address]?.operation == .delete {
                        // A delete an earlier run began: refresh no longer sees the resource, but
                        // parts its record names may remain (a balancer's imported certificate
                        // and target groups): the delete is finished from the record, then it is
                        // made anew. Found by the kill loop, CATALYZE_KILL_SEED=7 (a leaked certificate).
                        changes[address] = PlannedChange(
                            address: address, action: .replace,
                            reason: "an earlier run was interrupted while deleting it; finishing the delete, then making it anew",
                            spec: spec, prior: record.cloudResource, priorToken: record.token,
                            token: OperationToken.make(lineage: lineage, address: address, operation: "replace", generation: serial),
                            changes: diff(old: [:], new: spec.attributes, kind: spec.kind), priorGone: true)
                        continue
                    }
                    changes[address] = PlannedChange(
                        address: address, action: .create, reason: "deleted outside catalyze", spec: spec, prior: nil,
                        priorToken: nil,
                        token: OperationToken.make(lineage: lineage, address: address, operation: "recreate", generation: serial),
                        changes: diff(old: [:], new: spec.attributes, kind: spec.kind), freshToken: fresh(address))
                    continue
                }
                let modified = found.resource.attributes.keys.sorted().compactMap { key -> AttributeChange? in
                    let recorded = record.attributes[key]
                    let now = found.resource.attributes[key]
                    guard let recorded, let now, !now.isEmpty || found.kind.emptyMeansNone.contains(key), recorded != now
                    else { return nil }
                    return AttributeChange(key: key, old: recorded, new: now, forcesReplacement: false)
                }
                if !modified.isEmpty {
                    drift.append(Drift(address: address, kind: "modified", changes: modified))
                    for change in modified { current[change.key] = change.new }
                }
            }
            // A host made before 0.2.0 keeps its legacy principal until it is replaced for another
            // reason (a requested replacement is one: the new host gets the scoped form).
            let requested = input.replacing.contains(address)
            if !requested, let kept = keepingLegacyPrincipal(spec, current: current, pod: input.pod) {
                spec = kept
                keptLegacyPrincipal.insert(address)
            }
            let attributeChanges = diff(old: current, new: spec.attributes, kind: spec.kind)
            // Only part of the recorded resource is left (refresh reports the parts under an empty
            // cloud id: a VPN's gateways without its connection, a backup plan's vault without the
            // plan), or an interrupted delete may have taken part of it: it is made anew, whatever
            // else changed. An in-place update would act on the recorded, deleted, part (seed 99 of
            // the kill loop: routes added to a deleted VPN connection, the VPN left without them).
            let halfGone = live?[address].map { $0.resource.cloudID.isEmpty && !record.cloudID.isEmpty } ?? false
            let action: ChangeAction
            let reason: String
            if requested {
                action = .replace
                reason = "replace requested"
            } else if attributeChanges.contains(where: \.forcesReplacement) {
                action = .replace
                let keys = attributeChanges.filter(\.forcesReplacement).map(\.key)
                let notes = keys.compactMap { spec.kind.definition.replaceNotes[$0] }
                reason = "\(keys.joined(separator: ", ")) cannot change in place" + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))")
            } else if halfGone {
                action = .replace
                reason = "only part of it is left in the cloud (an interrupted delete); making it anew"
            } else if pending[address]?.operation == .delete {
                action = .replace
                reason = "an earlier apply was interrupted during its delete"
            } else if !attributeChanges.isEmpty {
                action = .update
                reason = "\(attributeChanges.map(\.key).joined(separator: ", ")) changed"
            } else if let entry = pending[address] {
                action = entry.operation == .delete ? .replace : .update
                reason = "an earlier apply was interrupted during its \(entry.operation.rawValue)"
            } else {
                action = .noop
                reason = "up to date"
            }
            changes[address] = PlannedChange(
                address: address, action: action, reason: reason, spec: spec, prior: record.cloudResource,
                priorToken: record.token,
                token: action == .replace
                    ? OperationToken.make(lineage: lineage, address: address, operation: "replace", generation: serial)
                    : (pending[address]?.token ?? record.token),
                changes: attributeChanges)
        }

        // A resource whose dependency is made anew must follow it (its reference changes).
        for var change in changes.values.sorted(by: { ($0.spec.kind, $0.address) < ($1.spec.kind, $1.address) })
        where change.action == .noop || change.action == .update {
            let address = change.address
            let madeAnew = { (address: ResourceAddress) -> Bool in
                guard let dep = changes[address] else { return false }
                return dep.action == .replace
                    || (dep.action == .create && (records[address] != nil || deposed.contains { $0.deposedFrom == address }))
            }
            let replacing = change.spec.replacingDependencies
            if change.action == .noop,
               let dependency = change.spec.dependencies.first(where: { madeAnew($0) && !replacing.contains($0) }) {
                change.action = .update  // follows it in place (`ResourceKind.inPlaceReferenceKeys`)
                change.reason = "\(dependency) is being replaced"
                changes[address] = change
            }
            if let dependency = replacing.first(where: madeAnew) {
                change.action = .replace
                change.reason = "\(dependency) is being replaced"
                change.token = OperationToken.make(lineage: lineage, address: address, operation: "replace", generation: serial)
                changes[address] = change
            }
        }

        // Recorded but no longer wanted: delete (before rolling, so deposed records roll with their member).
        for record in records.values where desired[record.address] == nil {
            let spec = ResourceSpec(
                address: record.address, kind: record.kind, provider: record.provider, cloudRegion: record.cloudRegion,
                attributes: record.attributes)
            // Refresh covers the manifest's regions only: a region the manifest dropped was not
            // looked at, so its records are not "gone", they are to be deleted (data loss included).
            if let live, live[record.address] == nil, input.regions[record.address.region] != nil {
                drift.append(Drift(address: record.address, kind: "deleted", changes: []))
                changes[record.address] = PlannedChange(
                    address: record.address, action: .delete, reason: "already gone from the cloud; forgetting it",
                    spec: spec, prior: record.cloudResource, priorToken: record.token, token: record.token, changes: [],
                    priorGone: true)
                continue
            }
            let reason = deposed.contains(record.address)
                ? "the old half of a create-before-destroy; goes once \(record.address.deposedFrom!) serves"
                : input.destroying ? "destroy requested" : "no longer in the manifest"
            changes[record.address] = PlannedChange(
                address: record.address, action: .delete, reason: reason, spec: spec,
                prior: record.cloudResource, priorToken: record.token, token: record.token,
                changes: diff(old: record.attributes, new: [:], kind: record.kind))
        }

        // A kept legacy principal goes only with the host it describes: made anew after all, it is scoped.
        for address in keptLegacyPrincipal {
            guard var change = changes[address], let wanted = desired[address] else { continue }
            restoringScopedPrincipal(&change, wanted: wanted)
            changes[address] = change
        }

        roll(&changes, groups: input.groups, recorded: { records[$0] != nil }, deposed: deposed, strategies: input.strategies)

        // Recorded, ours, but without a lineage tag (made before 0.2.0): tagged in place, on its own
        // (`retag`) or right after its update. A replace makes it anew, tagged.
        for var change in changes.values where change.action == .noop || change.action == .update {
            guard let found = live?[change.address], found.lineage == nil, records[change.address]?.cloudID == found.resource.cloudID,
                  LineageGuard.ownsTags(kind: change.spec.kind, attributes: change.spec.attributes)
            else { continue }
            if change.action == .noop {
                change.action = .retag
                change.reason = "no lineage tag (made before 0.2.0); tagging it in place as this lockfile's"
            } else {
                change.setsLineage = true
            }
            change.changes.append(AttributeChange(key: CatalyzeTag.lineage, old: nil, new: lineage, forcesReplacement: false))
            changes[change.address] = change
        }

        // Tagged for this pod in the cloud, but neither recorded nor wanted: left over from an
        // interrupted run, or made by hand. Shown as drift and deleted.
        for found in (live ?? [:]).values where records[keyed(found)] == nil && desired[found.address] == nil {
            drift.append(Drift(address: found.address, kind: "unmanaged", changes: []))
            guard let target = input.regions[found.address.region] else { continue }
            let spec = ResourceSpec(
                address: found.address, kind: found.kind, provider: target.provider, cloudRegion: target.cloudRegion,
                attributes: found.resource.attributes)
            changes[found.address] = PlannedChange(
                address: found.address, action: .delete, reason: "tagged for this pod but not managed; removing it",
                spec: spec, prior: found.resource, priorToken: found.operationToken, token: found.operationToken ?? "",
                changes: [])
        }

        // More than one cloud resource tagged with one address: a create that landed after the run
        // that sent it was killed and the next run had already made the resource again (a cloud
        // without idempotency tokens, or a request delayed in the network), or a copy made by hand.
        // The recorded one (else the one refresh listed first, the one the plan used) stays; every
        // other is deleted under an address of its own, `<name>~<cloud id>`, so none is orphaned.
        for found in input.live ?? [] {
            guard keyed(found) == found.address, let kept = live?[found.address], kept.resource.cloudID != found.resource.cloudID,
                  records[found.address]?.cloudID != found.resource.cloudID,
                  let target = input.regions[found.address.region]
            else { continue }
            let address = duplicateAddress(found.address, cloudID: found.resource.cloudID)
            drift.append(Drift(address: address, kind: "duplicate", changes: []))
            let spec = ResourceSpec(
                address: address, kind: found.kind, provider: target.provider, cloudRegion: target.cloudRegion,
                attributes: found.resource.attributes)
            changes[address] = PlannedChange(
                address: address, action: .delete,
                reason: "a second \(found.kind.rawValue) tagged \(found.address) (\(found.resource.cloudID)); removing the duplicate",
                spec: spec, prior: found.resource, priorToken: nil,
                token: "\(found.operationToken ?? "untagged")-\(address.name)", changes: [])
        }

        return Plan(
            pod: input.pod, lineage: lockfile?.lineage, serial: serial,
            changes: changes.values.sorted { $0.address < $1.address },
            drift: drift.sorted { ($0.address, $0.kind) < ($1.address, $1.kind) })
    }

    /// The plan of an `import`: one `import` action per live resource `selection` takes (see
    /// `LineageGuard.check` for what is refused first). The resource is recorded as the manifest
    /// wants it overlaid with what the cloud reports (as an adopted create would be), or, when the
    /// manifest does not name it, as the cloud reports it (the next plan then deletes it).
    static func importPlan(_ input: PlanInput, _ selection: ImportSelection) -> Plan {
        let lineage = input.lockfile?.lineage ?? input.newLineage
        let serial = input.lockfile?.serial ?? 0
        let records = input.lockfile?.resources ?? [:]
        let desired = Dictionary(input.desired.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [PlannedChange] = []
        for found in (input.live ?? []).sorted(by: { $0.address < $1.address }) where LineageGuard.selects(selection, found) {
            guard records[found.address]?.cloudID != found.resource.cloudID, let target = input.regions[found.address.region] else { continue }
            let spec = desired[found.address] ?? ResourceSpec(
                address: found.address, kind: found.kind, provider: target.provider, cloudRegion: target.cloudRegion,
                attributes: found.resource.attributes)
            let from = found.lineage.map { "lineage \($0)" } ?? "no lineage tag"
            changes.append(PlannedChange(
                address: found.address, action: .importResource,
                reason: "\(from) → this lockfile\(desired[found.address] == nil ? " (not in the manifest: the next plan deletes it)" : "")",
                spec: spec, prior: found.resource, priorToken: found.operationToken,
                token: found.operationToken ?? OperationToken.make(lineage: lineage, address: found.address, operation: "import", generation: serial),
                changes: [AttributeChange(key: CatalyzeTag.lineage, old: found.lineage, new: lineage, forcesReplacement: false)]))
        }
        return Plan(pod: input.pod, lineage: input.lockfile?.lineage, serial: serial, changes: changes, drift: [])
    }

    /// The address under which a duplicate of `address` (cloud id `cloudID`) is deleted:
    /// `<name>~<cloud id>`, the id reduced to letters, digits and `-` so that it parses back.
    public static func duplicateAddress(_ address: ResourceAddress, cloudID: String) -> ResourceAddress {
        let id = String(cloudID.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        return ResourceAddress(region: address.region, kind: address.kind, name: "\(address.name)~\(id)")
    }

    /// Attribute differences, sorted by key; a key absent from `new` is compared only when `new` is empty (delete).
    static func diff(old: [String: String], new: [String: String], kind: ResourceKind) -> [AttributeChange] {
        let keys = new.isEmpty ? Set(old.keys) : Set(new.keys)
        return keys.sorted().compactMap { key in
            let before = old[key], after = new[key]
            guard before != after else { return nil }
            // An empty desired value leaves the choice to the driver (e.g. its default image),
            // unless empty means "none" for this key (`ResourceKind.emptyMeansNone`).
            if after == "", before != nil, !old.isEmpty, !kind.emptyMeansNone.contains(key) { return nil }
            let forces = !old.isEmpty && !new.isEmpty && kind.replaceOnChange.contains(key)
            return AttributeChange(key: key, old: before, new: after, forcesReplacement: forces)
        }
    }
}
