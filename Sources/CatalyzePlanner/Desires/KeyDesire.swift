import CatalyzeModel

/// `key.storage` in every region when encryption is on; a `hipaa` pod's also switches on the
/// region's encryption by default where the cloud has it (AWS EBS encryption by default). A key
/// catalyze makes gets an explicit policy naming `encryption.keyAdministrators` where the cloud has
/// key policies.
enum KeyDesire: KindDesire {
    static var kind: ResourceKind { .key }

    static func resources(in r: RegionDesire) -> [ResourceSpec] {
        let manifest = r.manifest
        guard manifest.encryption.enabled else { return [] }
        // Only a cloud with named volume types (Rackspace) uses one; set only when named, so plans of pods
        // that name none are unchanged.
        return [r.spec("storage", KeySpec(
            alias: "catalyze/\(manifest.pod.name)/\(r.region.name)", customerKey: manifest.encryption.key,
            volumeType: r.provider.capabilities.namedVolumeTypes ? manifest.encryption.volumeType : nil,
            encryptionByDefault: manifest.profile == .hipaa && r.provider.capabilities.encryptionByDefault,
            // A customer's own key keeps its policy: catalyze uses it through a grant.
            explicitPolicy: manifest.encryption.key == nil && r.provider.capabilities.keyPolicy,
            administrators: manifest.encryption.keyAdministrators))]
    }
}
