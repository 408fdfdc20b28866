/// The version of every `--json` document and line catalyze prints (`man catalyze-json`).
enum JSONFormat {
    /// Bumped when a key is renamed or removed or changes type; adding a key keeps it.
    static let version = 2
}
