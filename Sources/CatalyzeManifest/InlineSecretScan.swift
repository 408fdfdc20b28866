import CatalyzeCore
import Yams

/// Finds secrets written into the manifest instead of referenced: fields that hold secrets must be
/// `env:NAME` / `file:PATH` (or a provider key/certificate id), and no value anywhere may be key material.
enum InlineSecretScan {
    static func scan(_ root: Node, reader: NodeReader) -> [ManifestDiagnostic] {
        var found: [ManifestDiagnostic] = []
        walk(root, path: "") { path, node in
            guard let text = node.scalar?.string else { return }
            if !looksLikeKeyMaterial(text), isSecretField(path), text.hasPrefix("env:"), !isReference(text) {
                // A reference with a bad name, not a secret: say what is wrong with the name
                // (without repeating it: it may be the secret pasted after `env:`).
                found.append(ManifestDiagnostic(.malformedEnvironmentReference(path: path), at: reader.location(node)))
            } else if looksLikeKeyMaterial(text) || (isSecretField(path) && !isReference(text)) {
                found.append(ManifestDiagnostic(.inlineSecret(path: path), at: reader.location(node)))
            }
        }
        return found
    }

    /// Fields whose value is a secret (or names one).
    static func isSecretField(_ path: String) -> Bool {
        let generic = path.replacingDigitsInBrackets()
        return [
            "databases[].password", "loadBalancer.listeners[].certificate", "encryption.key", "backup.passphrase",
        ].contains(generic)
    }

    /// A reference or a provider-held key/certificate id, not the secret itself.
    static func isReference(_ text: String) -> Bool {
        SecretReference(parsing: text) != nil || text.hasPrefix("arn:")
    }

    /// PEM blocks, OpenSSH private keys.
    static func looksLikeKeyMaterial(_ text: String) -> Bool {
        text.contains("-----BEGIN") || text.contains("PRIVATE KEY")
    }

    private static func walk(_ node: Node, path: String, visit: (String, Node) -> Void) {
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                walk(value, path: path.isEmpty ? (key.string ?? "?") : "\(path).\(key.string ?? "?")", visit: visit)
            }
        case .sequence(let sequence):
            for (index, item) in sequence.enumerated() { walk(item, path: "\(path)[\(index)]", visit: visit) }
        case .scalar:
            visit(path, node)
        case .alias:
            break
        }
    }
}

extension String {
    /// `apps[3].name` → `apps[].name`.
    func replacingDigitsInBrackets() -> String {
        var result = ""
        var inBracket = false
        for ch in self {
            if ch == "[" { inBracket = true; result.append(ch); continue }
            if ch == "]" { inBracket = false }
            if inBracket && ch.isASCIIDigit { continue }
            result.append(ch)
        }
        return result
    }
}
