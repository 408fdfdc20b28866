import Foundation

/// Where the access files live: in the lockfile's folder, named after the lockfile's convention.
///
/// | file | content | mode |
/// |---|---|---|
/// | `catalyze.access.grants.json` | grants registry | 0600 |
/// | `catalyze.access.krl` | OpenSSH KRL the pod's hosts read (`RevokedKeys`) | 0644 |
/// | `catalyze.access.audit.jsonl` | hash-chained audit log | 0600 |
/// | `catalyze.access.lock` | `flock` while a command writes | 0600 |
///
/// No known_hosts file is kept: `access push-krl` reads each host's keys from its instance's
/// console at push time (a file of 0.1.x, `catalyze.access.known_hosts`, is no longer read).
public struct AccessPaths: Hashable, Sendable {
    /// The folder holding the files.
    public let folder: String

    /// The files in `folder`.
    public init(folder: String) { self.folder = folder }

    /// The files beside the lockfile at `lockfilePath`.
    public init(besideLockfile lockfilePath: String) {
        let folder = URL(fileURLWithPath: lockfilePath).deletingLastPathComponent().path
        self.init(folder: folder)
    }

    /// The grants registry.
    public var registry: String { folder + "/catalyze.access.grants.json" }
    /// The revocation list.
    public var revocationList: String { folder + "/catalyze.access.krl" }
    /// The audit log.
    public var auditLog: String { folder + "/catalyze.access.audit.jsonl" }
    /// The lock file.
    public var lock: String { folder + "/catalyze.access.lock" }
}
