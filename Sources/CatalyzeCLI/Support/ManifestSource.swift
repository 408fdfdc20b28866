import ArgumentParser
import CatalyzeCore
import CatalyzeManifest
import CatalyzeOperations
import Foundation

/// The manifest a command works on: loaded and validated (its diagnostics printed), with the
/// run-time customer-access switches (`ExposureFile`, beside the lockfile) applied.
struct ManifestSource {
    /// The manifest with the switches applied (what plans are made of).
    let manifest: PodManifest
    /// The manifest as written.
    let declared: PodManifest
    /// The position of every manifest value, by path (for errors about a reference).
    let locations: [String: SourceLocation]

    /// Loads `options.file`; prints its diagnostics and fails when it has errors or the switches
    /// beside `options.statePath` cannot be read.
    init(_ options: PodOptions) throws {
        let result = ManifestLoader.load(path: options.file)
        let view = DiagnosticView(terminal: Terminal(stdoutIsTTY: false, stdinIsTTY: false, color: Terminal.current.color))
        for diagnostic in result.diagnostics where diagnostic.severity == .error || diagnostic.issue.code != "profile-relaxes" {
            printError(view.render(diagnostic.diagnostic))
        }
        guard let manifest = result.manifest else { throw ExitCode.failure }
        locations = result.locations
        declared = manifest
        do {
            let settings = try ExposureFile(besideLockfile: options.statePath).load()
            self.manifest = settings.applied(to: manifest)
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }
}
