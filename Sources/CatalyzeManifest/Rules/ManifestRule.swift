import CatalyzeCore

/// Where each value of the manifest was written, for rules that report after parsing.
public struct RuleContext: Sendable {
    /// The manifest's display path.
    public var file: String
    /// Position of every value, by path (`apps[0].replicas`).
    public var locations: [String: SourceLocation]
    /// Position of the document root, for problems about something absent.
    public var root: SourceLocation
    /// Top-level sections that already had errors while reading: rules skip what depends on them.
    public var failedSections: Set<String> = []

    /// True when none of `sections` had a reading error.
    public func clean(_ sections: String...) -> Bool { failedSections.isDisjoint(with: sections) }

    /// The position of `path`, or of its nearest written parent, or of the root.
    public func location(_ path: String) -> SourceLocation {
        var current = path
        while !current.isEmpty {
            if let location = locations[current] { return location }
            if let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) {
                current = String(current[..<cut])
            } else {
                break
            }
        }
        return locations[current] ?? root
    }
}

/// One cross-field rule over a parsed manifest.
public protocol ManifestRule: Sendable {
    /// Checks the manifest; returns what it finds.
    func check(_ manifest: PodManifest, _ context: RuleContext) -> [ManifestDiagnostic]
}

/// The rules, in the order they run. Structure first (regions, names), then references to them,
/// then the values that depend on both, then the profile, which judges the finished whole.
public enum ManifestRules {
    /// Every rule.
    public static let all: [any ManifestRule] = [
        RegionLayoutRule(),
        UniqueContainerNamesRule(),
        RegionReferenceRule(),
        CloudRegionRule(),
        NetworkRule(),
        NetworkReferenceRule(),
        ListenerRule(),
        BackupPassphraseRule(),
        VolumeTypeRule(),
        ServiceAccessRule(),
        AccessTTLRule(),
        ProfileRule(),
    ]
}
