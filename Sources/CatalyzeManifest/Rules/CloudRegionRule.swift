import CatalyzeCore
import CatalyzeModel

/// Every region's `region` is one its provider has (`CloudCapabilities.regions`), with the closest name as a
/// suggestion for a typo (`us-wset-2` → `us-west-2`, `ord` → `ORD`).
struct CloudRegionRule: ManifestRule {
    func check(_ manifest: PodManifest, _ context: RuleContext) -> [ManifestDiagnostic] {
        guard context.clean("regions") else { return [] }
        return manifest.regions.enumerated().compactMap { index, region in
            let known = region.provider.capabilities.regions
            guard !known.isEmpty, !known.contains(region.cloudRegion) else { return nil }
            let path = "regions[\(index)].region"
            return ManifestDiagnostic(
                .unknownCloudRegion(
                    path: path, value: region.cloudRegion, provider: region.provider.rawValue,
                    suggestion: suggestion(for: region.cloudRegion, among: known)),
                at: context.location(path))
        }
    }
}
