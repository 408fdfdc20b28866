import CatalyzeCore
import Foundation
import Yams

/// What loading a manifest found: the manifest (when it has no errors) and every diagnostic.
public struct ManifestLoadResult: Sendable {
    /// The manifest, nil when any error was found.
    public var manifest: PodManifest?
    /// Every problem, sorted by position.
    public var diagnostics: [ManifestDiagnostic]
    /// The position of every value read, by manifest path (e.g. `databases[0].password`).
    public var locations: [String: SourceLocation] = [:]
    /// True when no diagnostic is an error.
    public var isValid: Bool { !diagnostics.contains { $0.severity == .error } }
}

/// Loads and validates pod manifests: YAML (with node marks) → typed model → cross-field rules.
public enum ManifestLoader {
    static let topLevelKeys = [
        "version", "pod", "profile", "regions", "scheduling", "network", "firewall", "loadBalancer",
        "encryption", "apps", "databases", "api", "logging", "monitoring", "backup", "access", "state",
    ]

    /// Reads and validates the file at `path`. `displayPath` is what diagnostics print (default: `path`).
    public static func load(path: String, displayPath: String? = nil) -> ManifestLoadResult {
        let shown = displayPath ?? path
        let data: Data
        switch ManifestFile.contents(path: path) {
        case .read(let bytes): data = bytes
        case .refused(let issue): return failure(issue, file: shown, line: 1, column: 1)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return failure(.unreadable(reason: "not UTF-8 text"), file: shown, line: 1, column: 1)
        }
        return load(text: text, file: shown)
    }

    /// Validates manifest text; `file` names it in diagnostics.
    public static func load(text: String, file: String) -> ManifestLoadResult {
        if text.utf8.count > ManifestFile.maximumBytes {
            return failure(.tooLarge(bytes: text.utf8.count, limit: ManifestFile.maximumBytes), file: file, line: 1, column: 1)
        }
        if let (line, column) = AliasKeyScan.firstAliasKey(in: text) {
            return failure(.aliasKey, file: file, line: line, column: column)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return yamlFailure(error, text: text, file: file)
        } catch {
            return failure(.syntax(problem: "\(error)"), file: file, line: 1, column: 1)
        }
        guard let root, !(root.scalar != nil && root.tagName == .null) else {
            return failure(.emptyDocument, file: file, line: 1, column: 1)
        }
        // Aliases share one node however often they are used, so composing an alias bomb is cheap;
        // walking it (the reader, the secret scan) is what would never end. Count first, bounded.
        if !ValueBudget.fits(root) {
            return failure(.tooManyValues(limit: ValueBudget.limit, aliases: text.contains("*")), file: file, line: 1, column: 1)
        }
        let reader = NodeReader(file: file)
        let manifest = readManifest(root, reader)
        var diagnostics = reader.diagnostics
        if let manifest {
            // Rules run even when reading found errors: each one skips the sections that had them,
            // so one run reports every problem without cascading from a bad value's fallback.
            let context = RuleContext(
                file: file, locations: reader.locations, root: reader.location(root),
                failedSections: failedSections(root, diagnostics))
            for rule in ManifestRules.all { diagnostics += rule.check(manifest, context) }
        }
        // An inline secret is reported once, as itself: any other problem at the same value
        // (a wrong type, a bad name, a certificate on a plain listener) would print the secret.
        let secrets = InlineSecretScan.scan(root, reader: reader)
        let secretLocations = Set(secrets.map(\.location))
        diagnostics = diagnostics.filter { !secretLocations.contains($0.location) } + secrets
        diagnostics = Array(Set(diagnostics)).sorted(by: ordered)
        let valid = !diagnostics.contains { $0.severity == .error }
        return ManifestLoadResult(manifest: valid ? manifest : nil, diagnostics: diagnostics, locations: reader.locations)
    }

    /// The top-level sections (by key) whose lines hold an error, and the required ones that are missing.
    static func failedSections(_ root: Node, _ diagnostics: [ManifestDiagnostic]) -> Set<String> {
        guard let mapping = root.mapping else { return [] }
        let starts = mapping.compactMap { key, _ in key.string.map { ($0, key.mark?.line ?? 0) } }.sorted { $0.1 < $1.1 }
        var failed = Set<String>()
        for diagnostic in diagnostics where diagnostic.severity == .error {
            if case let .missingKey(path: "", key: key) = diagnostic.issue { failed.insert(key) }
            let line = diagnostic.location.line
            if let section = starts.last(where: { $0.1 <= line }) { failed.insert(section.0) }
        }
        return failed
    }

    private static func ordered(_ a: ManifestDiagnostic, _ b: ManifestDiagnostic) -> Bool {
        if a.location != b.location { return a.location < b.location }
        if a.severity != b.severity { return a.severity < b.severity }
        return a.issue.message < b.issue.message
    }

    private static func failure(_ issue: ManifestIssue, file: String, line: Int, column: Int) -> ManifestLoadResult {
        ManifestLoadResult(
            manifest: nil,
            diagnostics: [ManifestDiagnostic(issue, at: SourceLocation(file: file, line: line, column: column))])
    }

    private static func yamlFailure(_ error: YamlError, text: String, file: String) -> ManifestLoadResult {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            var message = problem
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return failure(.syntax(problem: message), file: file, line: mark.line, column: mark.column)
        case let .duplicatedKeysInMapping(duplicates, context):
            // Yams marks the first occurrence; point at the repeat, which is what the user must remove.
            let key = duplicates.first ?? "?"
            let (line, column) = repeatPosition(of: key, after: context.mark, in: text)
            return failure(.duplicateKey(key: key), file: file, line: line, column: column)
        case let .reader(problem, _, _, _):
            return failure(.syntax(problem: problem), file: file, line: 1, column: 1)
        default:
            return failure(.syntax(problem: "\(error)"), file: file, line: 1, column: 1)
        }
    }

    /// The line and column where `key:` appears again at the same column after `first`.
    static func repeatPosition(of key: String, after first: Mark, in text: String) -> (Int, Int) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for index in first.line..<lines.count {
            let line = lines[index]
            let indent = line.prefix { $0 == " " }.count
            var rest = line.dropFirst(indent)
            if rest.hasPrefix("- ") { rest = rest.dropFirst(2) }
            let column = line.count - rest.count + 1
            if column == first.column, rest.hasPrefix(key),
               rest.dropFirst(key.count).trimmingSpaces.hasPrefix(":") {
                return (index + 1, column)
            }
        }
        return (first.line, first.column)
    }
}
