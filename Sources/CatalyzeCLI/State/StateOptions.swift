import ArgumentParser
import Foundation

/// `--state PATH`: where the lockfile is (shared by every command that reads or writes state).
public struct StateOptions: ParsableArguments {
    /// The lockfile's path, when given.
    @Option(name: .long, help: ArgumentHelp("The lockfile (default: catalyze.lock.json beside the manifest).", valueName: "PATH"))
    public var state: String?

    /// Creates the options (ArgumentParser).
    public init() {}

    /// The lockfile's file name beside the manifest.
    public static let defaultFileName = "catalyze.lock.json"

    /// `--state`, or `catalyze.lock.json` in the manifest's folder (`manifest` defaults to `pod.yaml`).
    public func lockfilePath(manifest: String = "pod.yaml") -> String {
        if let state { return state }
        let folder = URL(fileURLWithPath: manifest).deletingLastPathComponent().path
        return manifest.contains("/") ? "\(folder)/\(Self.defaultFileName)" : Self.defaultFileName
    }
}
