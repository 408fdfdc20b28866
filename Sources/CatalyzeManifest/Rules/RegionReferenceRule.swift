import CatalyzeCore

/// Every region a container group or the backup names is defined in `regions`.
struct RegionReferenceRule: ManifestRule {
    func check(_ manifest: PodManifest, _ context: RuleContext) -> [ManifestDiagnostic] {
        let defined = manifest.regions.map(\.name)
        // No region read at all: the reader has reported why; every reference would repeat it.
        guard !defined.isEmpty else { return [] }
        var references: [(String, String)] = []
        for (index, app) in manifest.apps.enumerated() {
            references += app.regions.enumerated().map { ("apps[\(index)].regions[\($0)]", $1) }
        }
        for (index, db) in manifest.databases.enumerated() {
            references += db.regions.enumerated().map { ("databases[\(index)].regions[\($0)]", $1) }
        }
        if let region = manifest.backup.region { references.append(("backup.region", region)) }
        return references.filter { !defined.contains($0.1) }.map { path, name in
            ManifestDiagnostic(.undefinedRegion(path: path, name: name, defined: defined), at: context.location(path))
        }
    }
}
