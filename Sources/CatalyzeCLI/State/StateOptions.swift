import ArgumentParser
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

    /// Creates the options (ArgumentParser).
    public init() {}

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
