import CatalyzeCore
import Foundation

/// The customer's SSH CA public key as the manifest names it (`access.caPublicKey`): `file:PATH`
/// (relative to the manifest's folder) or the key line itself. One reading for the commands that
/// boot hosts with it (`plan`, `apply`) and the one that signs for it (`access grant`).
enum CustomerCAKey {
    /// Why the named key cannot be used.
    enum Problem: Error, CustomStringConvertible {
        /// The file cannot be read.
        case unreadable(path: String, key: String)
        /// The file's first line is not an OpenSSH public key.
        case notAKey(path: String, key: String)

        var description: String {
            switch self {
            case let .unreadable(path, key): "\(key): cannot read \(path)"
            case let .notAKey(path, key): "\(key): \(path) is not an OpenSSH public key"
            }
        }
    }

    /// The key line, or nil when the manifest names none. `key` names the manifest key in errors
    /// (`access.operatorPublicKey` is read the same way).
    static func line(reference: String?, manifestFolder: String, key: String = "access.caPublicKey") throws(Problem) -> String? {
        guard let reference else { return nil }
        guard case .file(let path)? = SecretReference(parsing: reference) else { return reference }
        let full = path.hasPrefix("/") ? path : (manifestFolder as NSString).appendingPathComponent(path)
        guard let text = try? String(contentsOfFile: full, encoding: .utf8) else { throw .unreadable(path: full, key: key) }
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        guard line.hasPrefix("ssh-") || line.hasPrefix("ecdsa-") else { throw .notAKey(path: full, key: key) }
        return line
    }
}
