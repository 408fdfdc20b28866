import CatalyzeDrivers

/// What customer data a planned change would destroy: `apply` and `destroy` refuse a plan with any
/// such change unless `--force-destroy-data` is given, and the plan output marks each one.
///
/// Only the volume holds a database's data. A database instance replaced by a rolling replacement
/// (a new image or size) keeps its encrypted volume, which is detached and attached to the new
/// instance (`Rollout`), so it is not marked: the rollout's health checks already keep the
/// database serving, and demanding the flag there would teach operators to pass it every time.
/// A database instance deleted with its volume (a removed container or region, `destroy`) is
/// marked through the volume.
public enum DataLoss: String, Hashable, Sendable, Codable, CustomStringConvertible {
    /// An encrypted volume deleted or replaced: its blocks are gone (snapshots and backups aside).
    case encryptedVolume = "encrypted_volume"

    /// For messages: `encrypted volume`.
    public var description: String {
        switch self {
        case .encryptedVolume: "encrypted volume"
        }
    }
}

extension PlannedChange {
    /// The data this change destroys (only a delete or a replace of an encrypted volume can), or
    /// nil. A volume counts when it is encrypted as recorded or as desired, and not when refresh
    /// found it gone (an interrupted delete already took it: the replace only makes it anew).
    public var dataLoss: DataLoss? {
        guard action == .delete || action == .replace, spec.kind == .volume, priorGone != true else { return nil }
        let encrypted = prior?.attributes["encrypted"] == "true" || spec.attributes["encrypted"] == "true"
        return encrypted ? .encryptedVolume : nil
    }
}

extension Plan {
    /// The changes that destroy customer data, in plan order.
    public var dataLosses: [PlannedChange] { actionable.filter { $0.dataLoss != nil } }
}
