import CatalyzeCore

/// Customer access opens a service's endpoint to the customer's networks; a service the pod does
/// not deploy (`logging.enabled: false` or `monitoring.enabled: false`, allowed under `dev` only)
/// has no endpoint, so access turned on for it is an error at its `customerAccess`.
struct ServiceAccessRule: ManifestRule {
    func check(_ manifest: PodManifest, _ context: RuleContext) -> [ManifestDiagnostic] {
        var found: [ManifestDiagnostic] = []
        let services = [
            ("logging", manifest.logging.enabled, manifest.logging.customerAccess.enabled),
            ("monitoring", manifest.monitoring.enabled, manifest.monitoring.customerAccess.enabled),
        ]
        for (section, deployed, open) in services where context.clean(section) && !deployed && open {
            found.append(ManifestDiagnostic(
                .accessToDisabledService(section: section), at: context.location("\(section).customerAccess.enabled")))
        }
        return found
    }
}
