import CatalyzeCore

/// One cloud catalyze can use: its name and what it offers. Each is a file of `Clouds/`; the
/// `Registry` build plugin lists them (`registeredCloudDescription`), so a new cloud adds its file
/// here, its driver target, and one line in the CLI's `DriverRegistry`.
// @registry
protocol CloudDescription {
    /// Its name in manifests and lockfiles.
    static var provider: Provider { get }
    /// What it offers.
    static var capabilities: CloudCapabilities { get }
}

/// Every cloud catalyze knows, with what it offers, in name order.
public enum CloudCatalog {
    /// Every cloud's description, by provider name.
    public static let all: [CloudCapabilities] = registeredCloudDescription.map { $0.capabilities }
        .sorted { $0.provider.rawValue < $1.provider.rawValue }

    /// Each cloud's description by its name.
    static let byName: [String: CloudCapabilities] = Dictionary(uniqueKeysWithValues: all.map { ($0.provider.rawValue, $0) })
}
