import ArgumentParser
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeState
import Foundation

/// `-f FILE` and `--state PATH`: where the lockfile is (shared by the commands that read state
/// without the manifest). `-f` names the manifest as on every other command; the lockfile is the
/// one beside it, so `catalyze state list -f pods/acme.yaml` reads `pods/catalyze.lock.json`.
public struct StateOptions: ParsableArguments {
    /// The pod manifest (only its folder is used: the lockfile is beside it).
    @Option(name: [.short, .customLong("file")], help: "The pod manifest; the lockfile is the one beside it.",
            completion: .file(extensions: ["yaml", "yml"]))
    public var file: String = "pod.yaml"

    /// The lockfile's path, when given.
    @Option(name: .long, help: ArgumentHelp("The lockfile (default: catalyze.lock.json beside the manifest).", valueName: "state"),
            completion: .file(extensions: ["json"]))
    public var state: String?

    /// `--backend URL`.
    @OptionGroup var backendOptions: BackendOptions

    /// Creates the options (ArgumentParser).
    public init() {}

    /// Refuses `--state` with `--backend`.
    public func validate() throws {
        try BackendOptions.checkExclusive(state: state, backend: backendOptions.backend)
    }

    /// The state store these options name, and how messages name it. The manifest (`-f`) is read
    /// when it exists and is valid, for its `state.backend`, its pod name (a network store keeps
    /// each pod under its name) and its profile; without one, a network backend is an error.
    func stateStore() throws -> (store: any StateStore, url: StateBackendURL, location: String) {
        let environment = ProcessInfo.processInfo.environment
        let manifest = FileManager.default.fileExists(atPath: file) ? ManifestLoader.load(path: file).manifest : nil
        let url = backendOptions.url(
            state: state, environment: environment, manifest: manifest?.state.backend, defaultPath: lockfilePath())
        if case .file(let path) = url { return (FileStateStore(path: path), url, path) }
        guard let manifest else {
            printError("error: \(url) holds many pods, each under its name: pass -f MANIFEST (a valid manifest at \(file)) so catalyze knows which")
            throw ExitCode.failure
        }
        let timeouts = BackendOptions.environmentTimeouts(environment)
        let store = try BackendOptions.store(
            url, pod: manifest.pod.name, environment: environment, timeouts: timeouts, profile: manifest.profile)
        return (store, url, BackendOptions.location(store, url))
    }

    /// The lockfile's file name beside the manifest.
    public static let defaultFileName = "catalyze.lock.json"

    /// `--state`, or `catalyze.lock.json` beside `-f` (default `pod.yaml`).
    public func lockfilePath() -> String { lockfilePath(manifest: file) }

    /// `--state`, or `catalyze.lock.json` in `manifest`'s folder.
    public func lockfilePath(manifest: String) -> String { Self.lockfilePath(state: state, manifest: manifest) }

    /// `state`, or `catalyze.lock.json` in `manifest`'s folder (also for the shell completions,
    /// which see the command line as words, not as parsed options).
    public static func lockfilePath(state: String?, manifest: String) -> String {
        if let state { return state }
        let folder = URL(fileURLWithPath: manifest).deletingLastPathComponent().path
        return manifest.contains("/") ? "\(folder)/\(defaultFileName)" : defaultFileName
    }
}
