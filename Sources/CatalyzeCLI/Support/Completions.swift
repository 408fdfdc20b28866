import ArgumentParser
import CatalyzeManifest
import CatalyzeModel
import CatalyzeState
import Foundation

/// What the shell completions offer beyond file names: the fixed words of an option, and the
/// resource addresses of the lockfile (`state show <TAB>`). The generated scripts call the binary
/// back for the latter (ArgumentParser's custom completion), so they always match the lockfile.
enum Completions {
    /// `--profile`.
    static var profiles: CompletionKind { .list(Profile.allCases.map(\.rawValue)) }
    /// `--provider`.
    static var providers: CompletionKind { .list(Provider.allCases.map(\.rawValue)) }
    /// `access expose|conceal SERVICE`.
    static var services: CompletionKind { .list(["logging", "monitoring"]) }

    /// The lockfile's resource addresses that start with the word being completed. The lockfile
    /// is the one `--state` names, else the one beside `-f`/`--file`, else `./catalyze.lock.json`,
    /// as the command itself would find it. A missing or unreadable lockfile offers nothing.
    static var addresses: CompletionKind {
        .custom { words, _, prefix in
            var state: String?
            var manifest = "pod.yaml"
            for (word, next) in zip(words, words.dropFirst()) {
                switch word {
                case "--state": state = next
                case "-f", "--file": manifest = next
                default: break
                }
            }
            let path = StateOptions.lockfilePath(state: state, manifest: manifest)
            guard let lockfile = try? FileStateStore(path: path).load() else { return [] }
            return lockfile.resources.keys.map(\.description).filter { $0.hasPrefix(prefix) }.sorted()
        }
    }
}
