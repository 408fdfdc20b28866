import CatalyzeCore

/// Exactly one `primary` region; region names unique; one cloud region used once.
struct RegionLayoutRule: ManifestRule {
    func check(_ manifest: PodManifest, _ context: RuleContext) -> [ManifestDiagnostic] {
        guard context.clean("regions") else { return [] }
        var found: [ManifestDiagnostic] = []
        let primaries = manifest.regions.indices.filter { manifest.regions[$0].role == .primary }
        if primaries.isEmpty {
            found.append(.init(.regionLayout(reason: "one region must have role primary"), at: context.location("regions")))
        }
        for extra in primaries.dropFirst() {
            found.append(.init(.regionLayout(reason: "only one region may have role primary"),
                               at: context.location("regions[\(extra)].role")))
        }
        var names: [String: Int] = [:]
        var clouds: [String: Int] = [:]
        for (index, region) in manifest.regions.enumerated() {
            if let first = names[region.name] {
                found.append(.init(.duplicateName(path: "regions[\(index)].name", name: region.name,
                                                  first: context.location("regions[\(first)].name")),
                                   at: context.location("regions[\(index)].name")))
            } else {
                names[region.name] = index
            }
            let cloud = "\(region.provider.rawValue)/\(region.cloudRegion)"
            if let first = clouds[cloud] {
                found.append(.init(.regionLayout(reason: "\(cloud) is used by both '\(manifest.regions[first].name)' and '\(region.name)'; a DR region must be a different cloud region"),
                                   at: context.location("regions[\(index)].region")))
            } else {
                clouds[cloud] = index
            }
        }
        return found
    }
}
