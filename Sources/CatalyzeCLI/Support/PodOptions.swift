import ArgumentParser
import CatalyzeCore
import Foundation

/// Options every pod command shares: which manifest, which lockfile, how long to wait for its lock.
struct PodOptions: ParsableArguments {
    @Option(name: [.short, .customLong("file")], help: "The pod manifest.", completion: .file(extensions: ["yaml", "yml"]))
    var file: String = "pod.yaml"

    @Option(name: .customLong("state"), help: "The lockfile (default: catalyze.lock.json beside the manifest).",
            completion: .file(extensions: ["json"]))
    var state: String?

    @Option(name: .customLong("lock-timeout"), help: "How long to wait for another run's lock, e.g. 30s (default: fail at once).")
    var lockTimeout: String = "0s"

    @OptionGroup var network: NetworkOptions

    @OptionGroup var backendOptions: BackendOptions

    /// The lockfile path.
    var statePath: String {
        if let state { return state }
        let folder = (file as NSString).deletingLastPathComponent
        return folder.isEmpty ? "catalyze.lock.json" : (folder as NSString).appendingPathComponent("catalyze.lock.json")
    }

    /// The folder secret `file:` references are relative to.
    var manifestFolder: String {
        let folder = (file as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    var lockWait: Duration {
        .seconds(TimeSpan(parsing: lockTimeout)?.seconds ?? 0)
    }

    func validate() throws {
        try BackendOptions.checkExclusive(state: state, backend: backendOptions.backend)
        guard TimeSpan(parsing: lockTimeout) != nil else {
            throw ValidationError("--lock-timeout '\(lockTimeout)' is not a duration such as 30s or 2m")
        }
    }
}
