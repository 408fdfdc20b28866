import Foundation

/// Reads the few settings catalyze needs from an OpenStack `clouds.yaml` text.
///
/// A deliberately small reader: block mappings of plain or quoted scalars, which is what
/// `clouds.yaml` files hold (`clouds: NAME: auth: {auth_url, username, api_key, project_id}`,
/// `region_name`). Flow collections and anchors are not understood and are skipped.
enum CloudsYAML {
    /// The scalars under `clouds.<cloud>` and `clouds.<cloud>.auth`, flattened to their last key.
    static func settings(_ text: String, cloud: String) -> [String: String] {
        var path: [(indent: Int, key: String)] = []
        var result: [String: String] = [:]
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let indent = line.prefix { $0 == " " }.count
            let content = line.dropFirst(indent)
            guard let colon = content.firstIndex(of: ":") else { continue }
            let key = unquote(String(content[..<colon]))
            let rest = unquote(String(content[content.index(after: colon)...]))
            while let last = path.last, last.indent >= indent { path.removeLast() }
            if rest.isEmpty {
                path.append((indent, key))
                continue
            }
            let keys = path.map(\.key)
            if keys.count >= 2, keys[0] == "clouds", keys[1] == cloud, keys.count <= 3 {
                if keys.count == 2 || keys[2] == "auth" { result[key] = rest }
            }
        }
        return result
    }

    private static func unquote(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count >= 2, let first = trimmed.first, first == "\"" || first == "'", trimmed.last == first {
            return String(trimmed.dropFirst().dropLast())
        }
        return trimmed
    }
}
