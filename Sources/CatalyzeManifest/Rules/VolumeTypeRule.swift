import CatalyzeCore
import CatalyzeModel

/// `encryption.volumeType` names the Cinder volume type a Rackspace pod's volumes are made of
/// (`CloudCapabilities.namedVolumeTypes`). On a pod with no region on such a cloud it would change
/// nothing, which is worth a warning at its value: the author likely meant another cloud.
struct VolumeTypeRule: ManifestRule {
    func check(_ manifest: PodManifest, _ context: RuleContext) -> [ManifestDiagnostic] {
        guard context.clean("encryption", "regions"), let type = manifest.encryption.volumeType,
              !manifest.regions.contains(where: { $0.provider.capabilities.namedVolumeTypes }) else { return [] }
        let clouds = CloudCatalog.all.filter(\.namedVolumeTypes).map(\.displayName)
        return [ManifestDiagnostic(
            .unusedVolumeType(type: type, clouds: clouds), at: context.location("encryption.volumeType"), severity: .warning)]
    }
}
