import CatalyzeCore

/// Container group names are unique across apps and databases, and do not take the fixed
/// containers' names (`api`, `logging`, `monitoring`).
struct UniqueContainerNamesRule: ManifestRule {
    static let reserved = ["api", "logging", "monitoring"]

    func check(_ manifest: PodManifest, _ context: RuleContext) -> [ManifestDiagnostic] {
        var found: [ManifestDiagnostic] = []
        var seen: [String: String] = [:]
        let named = manifest.apps.enumerated().map { ("apps[\($0)].name", $1.name) }
            + manifest.databases.enumerated().map { ("databases[\($0)].name", $1.name) }
        for (path, name) in named {
            if Self.reserved.contains(name) {
                found.append(.init(.invalidName(path: path, value: name, rule: "'\(name)' is the name of a built-in container"),
                                   at: context.location(path)))
            } else if let first = seen[name] {
                found.append(.init(.duplicateName(path: path, name: name, first: context.location(first)),
                                   at: context.location(path)))
            } else {
                seen[name] = path
            }
        }
        return found
    }
}
