import Crypto
import Foundation

/// The newest audit head a machine has seen for one state folder, kept outside that folder
/// (`$XDG_STATE_HOME/catalyze/audit-witness/…`, mode 0600) so that putting back an older, fully
/// consistent copy of the folder (log, registry and revocation list together) is still caught:
/// the log no longer reaches the head this machine saw, or holds another entry at its sequence.
///
/// It is a witness, not a proof: it catches a rollback on every machine that saw the newer head
/// (TUF's "freeze attack" defence works the same way, by remembering the highest version seen).
public struct AuditWitness: Sendable {
    /// The witness file for one state folder.
    public let path: String

    /// The witness of the state folder `folder` in the per-user directory `directory`: the file is
    /// named by the SHA-256 of the folder's absolute, symlink-resolved path.
    public init(directory: String, folder: String) {
        let resolved = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        path = directory + "/" + SHA256.hash(data: Array(resolved.utf8)).map { String(format: "%02x", $0) }.joined() + ".json"
    }

    /// The head recorded, or nil when this machine never saw one (or the file is unreadable).
    public func head() -> AuditAnchor? {
        guard let bytes = try? AtomicFile.read(path) else { return nil }
        return try? AccessJSON.decoder.decode(AuditAnchor.self, from: Data(bytes))
    }

    /// Records `head` when it is newer than the one recorded (never moves backwards).
    public func advance(to head: AuditAnchor) throws {
        if let current = self.head(), current.sequence >= head.sequence { return }
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try AtomicFile.replace(path, with: Array(try AccessJSON.encoder.encode(head)) + [0x0A], mode: 0o600)
    }
}
