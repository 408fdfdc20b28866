import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Who an audit entry says acted.
public enum AuditActor {
    /// The OS account of the real user id, from the password database (`getpwuid`): `name (uid N)`,
    /// or `uid N` when the database has no entry (a container's arbitrary uid). Never `$USER`,
    /// which may be unset (it was: entries said "by unknown") or set to any name.
    public static func osAccount() -> String {
        let uid = getuid()
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return "\(String(cString: name)) (uid \(uid))"
    }

    /// An identity an engineer gives (an e-mail, an SSO subject): 1–128 bytes, printable, with no
    /// space, control, line-separator or bidirectional-formatting character, so it reads the same in
    /// every log and terminal.
    public static func isValidIdentity(_ text: String) -> Bool {
        (1...128).contains(text.utf8.count) && !text.unicodeScalars.contains { $0 == " " || TextSafety.isUnsafe($0) }
    }
}

/// Characters refused in free text that ends up in certificates and audit logs.
public enum TextSafety {
    /// Control characters (C0, C1, DEL), line and paragraph separators, and the bidirectional
    /// formatting characters (embeddings, overrides, isolates, marks) that make text display in
    /// another order than it is stored ("Trojan Source", CVE-2021-42574).
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: break
        }
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
