import CatalyzeCore

/// Support certificates are short-lived: `access.maxTtl` is capped per profile (`hipaa` 24 h, `dev`
/// 7 d), and the break-glass cap `access.emergencyMaxTtl` never exceeds the ordinary one (an
/// emergency grant is the narrower door, not the wider). Without a cap, `maxTtl: 36500d` would sign
/// certificates valid for a century, which no revocation list should have to outlive.
struct AccessTTLRule: ManifestRule {
    /// The longest `access.maxTtl` each profile accepts.
    static func cap(for profile: Profile) -> TimeSpan {
        switch profile {
        case .hipaa: TimeSpan(seconds: 24 * 3_600)
        case .dev: TimeSpan(seconds: 7 * 86_400)
        }
    }

    func check(_ manifest: PodManifest, _ context: RuleContext) -> [ManifestDiagnostic] {
        guard context.clean("access", "profile") else { return [] }
        var found: [ManifestDiagnostic] = []
        let access = manifest.access
        let cap = Self.cap(for: manifest.profile)
        if access.maxTTL > cap {
            found.append(ManifestDiagnostic(
                .accessTTLOverCap(path: "access.maxTtl", value: access.maxTTL, cap: cap, profile: manifest.profile.rawValue),
                at: context.location("access.maxTtl")))
        }
        if access.emergencyMaxTTL > access.maxTTL {
            found.append(ManifestDiagnostic(
                .emergencyTTLOverMaxTTL(path: "access.emergencyMaxTtl", emergency: access.emergencyMaxTTL, maxTTL: access.maxTTL),
                at: context.location("access.emergencyMaxTtl")))
        }
        return found
    }
}
