import CatalyzeDrivers

/// What customer data a planned change would destroy: `apply` and `destroy` refuse a plan with any
/// such change unless `--force-destroy-data` is given, and the plan output marks each one.
public enum DataLoss: String, Hashable, Sendable, Codable, CustomStringConvertible {
    /// An encrypted volume deleted or replaced: its blocks are gone (snapshots and backups aside).
    case encryptedVolume = "encrypted_volume"
    /// A database instance deleted or replaced: whatever it keeps beside its volume is gone, and the
    /// pod's database is down until the new one has its data.
    case databaseInstance = "database_instance"

    /// For messages: `encrypted volume`, `database instance`.
    public var description: String {
        switch self {
        case .encryptedVolume: "encrypted volume"
        case .databaseInstance: "database instance"
        }
    }
}

extension PlannedChange {
    /// The data this change destroys (only a delete or a replace can), or nil. A volume counts when
    /// it is encrypted as recorded or as desired; an instance when its role is `db`.
    public var dataLoss: DataLoss? {
        guard action == .delete || action == .replace else { return nil }
        func either(_ key: String, is value: String) -> Bool {
            prior?.attributes[key] == value || spec.attributes[key] == value
        }
        switch spec.kind {
        case .volume where either("encrypted", is: "true"): return .encryptedVolume
        case .instance where either("role", is: "db"): return .databaseInstance
        default: return nil
        }
    }
}

extension Plan {
    /// The changes that destroy customer data, in plan order.
    public var dataLosses: [PlannedChange] { actionable.filter { $0.dataLoss != nil } }
}
