import CCatalyzeBuildInfo
import CatalyzeCore

/// What `catalyze --version` says: the release and the commit the binary was built from.
enum BuildInfo {
    /// The commit `scripts/install.sh` stamped into the build, or `unknown` (a plain `swift build`).
    static let commit = String(cString: catalyze_build_commit())

    /// `0.2.0 (commit 1a2b3c4d5e6f)`.
    static let version = "\(Release.version) (commit \(commit))"
}
