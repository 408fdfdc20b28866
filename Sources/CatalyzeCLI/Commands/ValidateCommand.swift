import ArgumentParser
import CatalyzeCore
import CatalyzeManifest

/// `catalyze validate [FILE ...] [--json]`: every problem in every file, positioned.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check pod manifests and report every problem with file:line:col.",
        discussion: "Exits 0 when every file is free of errors (warnings allowed), 1 otherwise.")

    @Argument(help: "Manifest files to check (default: pod.yaml).", completion: .file(extensions: ["yaml", "yml"]))
    var files: [String] = []

    /// `-f FILE`, as on every other command that reads a manifest (repeatable; adds to FILE ...).
    @Option(name: [.short, .customLong("file")], help: "A manifest to check, as -f on the other commands (repeatable).",
            completion: .file(extensions: ["yaml", "yml"]))
    var file: [String] = []

    @Flag(help: "Print the diagnostics as JSON.")
    var json = false

    struct Report: Encodable {
        var format_version = JSONFormat.version
        let valid: Bool
        let error_count: Int
        let warning_count: Int
        let files: [FileReport]
    }

    struct FileReport: Encodable {
        let file: String
        let valid: Bool
        let diagnostics: [DiagnosticJSON]
    }

    func run() throws {
        let paths = (file + files).isEmpty ? ["pod.yaml"] : file + files
        let results = paths.map { ($0, ManifestLoader.load(path: $0)) }
        let all = results.flatMap { $0.1.diagnostics.map(\.diagnostic) }
        let errors = all.filter { $0.severity == .error }.count
        let warnings = all.filter { $0.severity == .warning }.count
        if json {
            let report = Report(
                valid: errors == 0, error_count: errors, warning_count: warnings,
                files: results.map { path, result in
                    FileReport(file: path, valid: result.isValid, diagnostics: result.diagnostics.map { DiagnosticJSON($0.diagnostic) })
                })
            print(try jsonText(report))
        } else {
            let terminal = Terminal.current
            let view = DiagnosticView(terminal: terminal)
            for (path, result) in results {
                for diagnostic in result.diagnostics { print(view.render(diagnostic.diagnostic)) }
                if result.isValid {
                    let note = result.diagnostics.isEmpty ? "" : " (\(result.diagnostics.count) warning\(result.diagnostics.count == 1 ? "" : "s"))"
                    print(terminal.paint("✓", .green) + " \(path) is valid\(note)")
                }
            }
            if errors > 0 {
                print("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s") in \(paths.count) file\(paths.count == 1 ? "" : "s")")
            }
        }
        if errors > 0 { throw ExitCode.failure }
    }
}
