import CatalyzeManifest

/// Customer access to the logging and monitoring endpoints as switched at run time by
/// `catalyze access expose|conceal`, without a redeploy.
///
/// The manifest's `customerAccess` is the deploy-time setting; an override recorded here (in
/// `catalyze.access.exposure.json` beside the lockfile) wins over it for every later plan, so a
/// switch made by an API call alone stays switched and the next `plan` is clean.
public struct ExposureSettings: Codable, Hashable, Sendable {
    /// One endpoint's switch.
    public struct Override: Codable, Hashable, Sendable {
        /// Open to the customer.
        public var enabled: Bool
        /// The customer's networks (CIDR text).
        public var cidrs: [String]

        /// Creates an override.
        public init(enabled: Bool, cidrs: [String]) {
            self.enabled = enabled
            self.cidrs = cidrs
        }
    }

    /// File format.
    public var formatVersion = 1
    /// The logging endpoint's switch, nil to follow the manifest.
    public var logging: Override?
    /// The monitoring endpoint's switch, nil to follow the manifest.
    public var monitoring: Override?

    /// No override: everything follows the manifest.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case logging, monitoring
    }

    /// The manifest as the overrides make it. CIDRs were validated when the override was made.
    public func applied(to manifest: PodManifest) -> PodManifest {
        var result = manifest
        if let logging { result.logging.customerAccess = Self.access(logging) }
        if let monitoring { result.monitoring.customerAccess = Self.access(monitoring) }
        return result
    }

    private static func access(_ override: Override) -> CustomerAccess {
        CustomerAccess(enabled: override.enabled, cidrs: override.cidrs.compactMap(CIDR.init(parsing:)))
    }
}
