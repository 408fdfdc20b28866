/// This build's release: what `catalyze --version` prints, what a lockfile and a saved plan record
/// as their writer, and what the CHANGELOG's newest heading names.
public enum Release {
    /// The release this source tree builds (semantic versioning; `CHANGELOG.md` lists each one).
    public static let version = "0.2.0"
}
