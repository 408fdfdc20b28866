import CatalyzeCore
import Yams

/// Reads a composed YAML tree into typed values, recording every problem with its position and
/// every value's position (for the cross-field rules that run afterwards).
final class NodeReader {
    let file: String
    private(set) var diagnostics: [ManifestDiagnostic] = []
    /// Position of every value read, by path (e.g. `apps[0].replicas`).
    private(set) var locations: [String: SourceLocation] = [:]

    init(file: String) { self.file = file }

    func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    func report(_ issue: ManifestIssue, at node: Node, severity: Severity = .error) {
        diagnostics.append(ManifestDiagnostic(issue, at: location(node), severity: severity))
    }

    func record(_ path: String, _ node: Node) { locations[path] = location(node) }

    /// A human name for a node's type, used in "must be X, found Y".
    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch node.tagName {
            case .null: return "null"
            case .bool: return "true/false"
            case .int, .float: return "the number \(scalar.string)"
            default: return "the text '\(scalar.string)'"
            }
        }
    }

    /// Reads a mapping: reports a non-mapping, unknown keys (with a suggestion) and missing
    /// required keys. Returns nil when `node` is not a mapping.
    func fields(_ node: Node, path: String, known: [String], required: [String] = []) -> Fields? {
        record(path, node)
        guard let mapping = node.mapping else {
            report(.wrongType(path: path, expected: "a mapping", found: describe(node)), at: node)
            return nil
        }
        var values: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                report(.wrongType(path: path, expected: "a mapping with text keys", found: describe(key)), at: key)
                continue
            }
            if known.contains(name) {
                values[name] = (key, value)
                record(Fields.join(path, name), value)
            } else {
                report(.unknownKey(path: path, key: name, suggestion: suggestion(for: name, among: known)), at: key)
            }
        }
        for key in required where values[key] == nil {
            report(.missingKey(path: path, key: key), at: node)
        }
        return Fields(path: path, node: node, values: values)
    }

    /// A list; reports anything else.
    func list(_ node: Node, path: String) -> [Node]? {
        record(path, node)
        guard let sequence = node.sequence else {
            report(.wrongType(path: path, expected: "a list", found: describe(node)), at: node)
            return nil
        }
        return Array(sequence)
    }

    /// A text scalar (numbers are accepted as their text only when `allowNumbers`).
    func string(_ node: Node, path: String, allowNumbers: Bool = false) -> String? {
        guard let scalar = node.scalar else {
            report(.wrongType(path: path, expected: "text", found: describe(node)), at: node)
            return nil
        }
        switch node.tagName {
        case .str: return scalar.string
        case .int where allowNumbers, .float where allowNumbers: return scalar.string
        default:
            report(.wrongType(path: path, expected: "text", found: describe(node)), at: node)
            return nil
        }
    }

    /// An integer in `range`.
    func int(_ node: Node, path: String, range: ClosedRange<Int>) -> Int? {
        guard node.scalar != nil, node.tagName == .int, let value = node.int else {
            report(.wrongType(path: path, expected: "a whole number", found: describe(node)), at: node)
            return nil
        }
        guard range.contains(value) else {
            report(.invalidValue(path: path, value: "\(value)", expected: "\(range.lowerBound)-\(range.upperBound)"), at: node)
            return nil
        }
        return value
    }

    /// A number in `range`.
    func double(_ node: Node, path: String, range: ClosedRange<Double>) -> Double? {
        guard node.scalar != nil, node.tagName == .int || node.tagName == .float, let value = node.float else {
            report(.wrongType(path: path, expected: "a number", found: describe(node)), at: node)
            return nil
        }
        guard range.contains(value) else {
            report(.invalidValue(path: path, value: node.scalar!.string, expected: "a number from \(range.lowerBound) to \(range.upperBound)"), at: node)
            return nil
        }
        return value
    }

    /// `true` or `false`.
    func bool(_ node: Node, path: String) -> Bool? {
        // Yams resolves YAML 1.1's yes/no/on/off as booleans too; the manifest (and its man
        // page) takes only true and false, which every YAML reader agrees on.
        if let scalar = node.scalar, node.tagName == .bool, !["true", "false", "True", "False", "TRUE", "FALSE"].contains(scalar.string) {
            report(.notABoolean(path: path, value: scalar.string), at: node)
            return nil
        }
        guard node.scalar != nil, node.tagName == .bool, let value = node.bool else {
            report(.wrongType(path: path, expected: "true or false", found: describe(node)), at: node)
            return nil
        }
        return value
    }

    /// One of a fixed set of words.
    func choice<E: RawRepresentable & CaseIterable>(_ node: Node, path: String, as: E.Type) -> E? where E.RawValue == String {
        guard let text = string(node, path: path) else { return nil }
        guard let value = E(rawValue: text) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: " | ")
            report(.invalidValue(path: path, value: text, expected: allowed), at: node)
            return nil
        }
        return value
    }

    /// One of a fixed set of words, given as strings.
    func word(_ node: Node, path: String, among allowed: [String]) -> String? {
        guard let text = string(node, path: path) else { return nil }
        guard allowed.contains(text) else {
            report(.invalidValue(path: path, value: text, expected: allowed.joined(separator: " | ")), at: node)
            return nil
        }
        return text
    }

    func cidr(_ node: Node, path: String) -> CIDR? {
        guard let text = string(node, path: path) else { return nil }
        guard let value = CIDR(parsing: text) else {
            report(.invalidCIDR(path: path, value: text), at: node)
            return nil
        }
        return value
    }

    func cidrs(_ node: Node, path: String) -> [CIDR]? {
        guard let items = list(node, path: path) else { return nil }
        let values = items.enumerated().map { index, item in
            record("\(path)[\(index)]", item)
            return cidr(item, path: "\(path)[\(index)]")
        }
        return values.contains(where: { $0 == nil }) ? nil : values.compactMap { $0 }
    }

    func port(_ node: Node, path: String) -> Int? {
        guard node.scalar != nil, node.tagName == .int, let value = node.int, (1...65535).contains(value) else {
            report(.invalidPort(path: path, value: node.scalar?.string ?? describe(node)), at: node)
            return nil
        }
        return value
    }

    func portRange(_ node: Node, path: String) -> PortRange? {
        guard let text = node.scalar?.string, let value = PortRange(parsing: text) else {
            report(.invalidPort(path: path, value: node.scalar?.string ?? describe(node)), at: node)
            return nil
        }
        return value
    }

    func byteSize(_ node: Node, path: String) -> ByteSize? {
        guard let text = node.scalar?.string, let value = ByteSize(parsing: text), value.bytes > 0 else {
            report(.invalidSize(path: path, value: node.scalar?.string ?? describe(node)), at: node)
            return nil
        }
        return value
    }

    func timeSpan(_ node: Node, path: String) -> TimeSpan? {
        guard let text = node.scalar?.string, let value = TimeSpan(parsing: text), value.seconds > 0 else {
            report(.invalidDuration(path: path, value: node.scalar?.string ?? describe(node)), at: node)
            return nil
        }
        return value
    }

    /// A name: lowercase letters, digits and dashes, starting with a letter, at most `maxLength`.
    func name(_ node: Node, path: String, maxLength: Int = 30) -> String? {
        guard let text = string(node, path: path) else { return nil }
        let valid = text.count <= maxLength && text.first.map { $0.isASCII && $0.isLowercase } == true
            && text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isASCIIDigit || $0 == "-") }
            && !text.hasSuffix("-")
        guard valid else {
            let rule = "lowercase letters, digits and '-', starting with a letter, at most \(maxLength) characters"
            report(.invalidName(path: path, value: text, rule: rule), at: node)
            return nil
        }
        return text
    }
}

/// The known keys of one mapping, with their nodes.
struct Fields {
    let path: String
    let node: Node
    let values: [String: (key: Node, value: Node)]

    subscript(_ key: String) -> Node? { values[key]?.value }

    func path(_ key: String) -> String { Fields.join(path, key) }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

extension Node {
    /// The resolved tag's name (`str`, `int`, `bool`, …).
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}
