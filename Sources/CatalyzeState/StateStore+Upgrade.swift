import CatalyzeCore

extension StateStore {
    /// Saves `lockfile` when another release last wrote it (an older format, upgraded on load by
    /// `LockfileMigration`, among them), and returns what is now stored; returns it unchanged otherwise.
    ///
    /// A run that may change the pod calls this once, before its first change and whatever that
    /// change is: the upgrade (and `FileStateStore`'s `<path>.v<N>.backup` of the old bytes, kept
    /// before the new ones replace them) must not wait for some later save. An apply whose actions
    /// save no record (only `retag`s, as the first apply after 0.1.0 has) or an empty plan would
    /// otherwise leave the old format on disk. Once saved, `writtenBy` is this release, so a second
    /// call writes nothing.
    public func saveUpgrade(_ lockfile: Lockfile) throws -> Lockfile {
        guard lockfile.writtenBy != Release.version else { return lockfile }
        return try save(lockfile)
    }
}
