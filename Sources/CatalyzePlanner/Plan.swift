import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// What a plan will do to one resource.
public enum ChangeAction: String, Hashable, Sendable, Codable, CaseIterable {
    /// Make it.
    case create
    /// Change it in place.
    case update
    /// Delete it, then make it anew (an attribute that cannot change in place changed).
    case replace
    /// Remove it.
    case delete
    /// Nothing to do.
    case noop
    /// Set this lockfile's lineage tag on a recorded resource that has none (made before 0.2.0),
    /// in place: nothing else about it changes.
    case retag
    /// Take a resource of another lineage (or an untagged one) over: re-tag it in place with this
    /// lockfile's lineage and record it (`catalyze import`). Never a create.
    case importResource = "import"

    /// The symbol shown in human output (Terraform's, which users know).
    public var symbol: String {
        switch self {
        case .create: "+"
        case .update: "~"
        case .replace: "-/+"
        case .delete: "-"
        case .noop: " "
        case .retag: "#"
        case .importResource: "<="
        }
    }
}

/// One attribute's old and new value.
public struct AttributeChange: Hashable, Sendable, Codable {
    /// The attribute key.
    public var key: String
    /// Before (nil: absent).
    public var old: String?
    /// After (nil: removed).
    public var new: String?
    /// True when this change alone forces replacement.
    public var forcesReplacement: Bool

    /// Creates a change.
    public init(key: String, old: String?, new: String?, forcesReplacement: Bool) {
        self.key = key
        self.old = old
        self.new = new
        self.forcesReplacement = forcesReplacement
    }

    enum CodingKeys: String, CodingKey {
        case key, old, new
        case forcesReplacement = "forces_replacement"
    }
}

/// One step of a plan.
public struct PlannedChange: Hashable, Sendable, Codable {
    /// The resource's address.
    public var address: ResourceAddress
    /// What happens to it.
    public var action: ChangeAction
    /// Why, in a few words ("not in the lockfile", "host changed", …).
    public var reason: String
    /// The desired resource (for delete: the resource as recorded).
    public var spec: ResourceSpec
    /// The recorded cloud resource (nil for create).
    public var prior: CloudResource?
    /// The recorded idempotency token (for update/replace/delete).
    public var priorToken: String?
    /// The token a create will carry (decided now, so the plan file fixes it).
    public var token: String
    /// Attribute changes, sorted by key.
    public var changes: [AttributeChange]
    /// True when `token` was minted by this plan for a create (or the create half of a replace) and
    /// nothing can carry it yet: no interrupted apply journaled it and refresh found no resource
    /// tagged with it. The driver may then skip looking for an earlier attempt before creating.
    /// Absent (nil) in older plan files and whenever that cannot be known (a plan without refresh).
    public var freshToken: Bool? = nil
    /// True when an update also sets this lockfile's lineage tag (the resource has none yet): the
    /// executor tags it in place right after the update. Absent (nil) otherwise.
    public var setsLineage: Bool? = nil
    /// The member's place in its group's rolling replacement (`Rollout`); nil when the change is not part of one.
    public var rollout: Rollout? = nil
    /// True when refresh saw nothing of the recorded resource: a replace then only finishes an
    /// interrupted delete of what is already gone, and destroys no data (`dataLoss`). Nil otherwise.
    public var priorGone: Bool? = nil
}

/// Something in the cloud that differs from the lockfile, changed outside catalyze.
public struct Drift: Hashable, Sendable, Codable {
    /// The resource's address.
    public var address: ResourceAddress
    /// `deleted` (gone from the cloud), `modified` (attributes differ), `unmanaged` (tagged for this pod, not in the lockfile),
    /// `duplicate` (a second cloud resource tagged with a managed address; its address is `<name>~<cloud id>`).
    public var kind: String
    /// Attribute differences (recorded → live) for `modified`.
    public var changes: [AttributeChange]
}

/// A whole plan: the changes, the drift found, and the lockfile it was made against.
public struct Plan: Hashable, Sendable, Codable {
    /// Plan file format.
    public var formatVersion: Int = 1
    /// The catalyze release that made the plan (`written_by`; nil in plan files of 0.1.0, which
    /// did not record it). `apply PLANFILE` refuses a plan of another release.
    public var writtenBy: String? = Release.version
    /// The pod.
    public var pod: String
    /// The lockfile lineage the plan was made against (nil: no lockfile yet).
    public var lineage: String?
    /// The lockfile serial the plan was made against (0: no lockfile yet).
    public var serial: Int
    /// Every change, noop included, sorted by address.
    public var changes: [PlannedChange]
    /// Drift found during refresh, sorted by address.
    public var drift: [Drift]

    /// The changes that do something.
    public var actionable: [PlannedChange] { changes.filter { $0.action != .noop } }

    /// True when applying would change nothing.
    public var isEmpty: Bool { actionable.isEmpty }

    /// Counts for the summary line: (add, change, destroy, retag, imported). A replace counts as one
    /// add and one destroy.
    public var summary: (add: Int, change: Int, destroy: Int, retag: Int, imported: Int) {
        var add = 0, change = 0, destroy = 0, retag = 0, imported = 0
        for item in changes {
            switch item.action {
            case .create: add += 1
            case .update: change += 1
            case .replace: add += 1; destroy += 1
            case .delete: destroy += 1
            case .noop: break
            case .retag: retag += 1
            case .importResource: imported += 1
            }
        }
        return (add, change, destroy, retag, imported)
    }

    /// `Plan: 12 to add, 1 to change, 0 to destroy.` (with `, 3 to tag` and `, 9 to import` when there are any).
    public var summaryLine: String {
        let s = summary
        var line = "Plan: \(s.add) to add, \(s.change) to change, \(s.destroy) to destroy"
        if s.retag > 0 { line += ", \(s.retag) to tag" }
        if s.imported > 0 { line += ", \(s.imported) to import" }
        return line + "."
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case writtenBy = "written_by"
        case pod, lineage, serial, changes, drift
    }
}
