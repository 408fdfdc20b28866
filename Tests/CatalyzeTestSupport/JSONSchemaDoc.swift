import Foundation

/// A JSON value as the schema check sees it: integers apart from other numbers, booleans apart
/// from both (JSONSerialization's NSNumber cannot tell them apart reliably).
public indirect enum SchemaValue: Decodable, Sendable {
    case null, bool(Bool), integer(Int), number(Double), string(String), array([SchemaValue]), object([String: SchemaValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([SchemaValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: SchemaValue].self)) }
    }

    /// Parses one JSON document.
    public static func parse(_ text: String) throws -> SchemaValue {
        try JSONDecoder().decode(SchemaValue.self, from: Data(text.utf8))
    }
}

/// The documented JSON schema, `docs/json.md`: one table of key paths and types per document.
/// `check` lists every difference between a real output and its table, so doc and code cannot drift.
public struct JSONSchemaDoc: Sendable {
    struct Field: Sendable {
        let type: String
        let optional: Bool
    }

    /// Fields per document (`## name`), by path.
    let documents: [String: [String: Field]]

    /// The schema of this repository (`docs/json.md`).
    public static func load() throws -> JSONSchemaDoc {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/json.md"), encoding: .utf8)
        return JSONSchemaDoc(parsing: text)
    }

    init(parsing text: String) {
        var documents: [String: [String: Field]] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") {
                current = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let current, line.hasPrefix("| `") else { continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4 else { continue }
            let path = cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            var type = cells[2]
            let optional = type.hasSuffix("?")
            if optional { type.removeLast() }
            documents[current, default: [:]][path] = Field(type: type, optional: optional)
        }
        self.documents = documents
    }

    /// The documents the page describes.
    public var names: [String] { documents.keys.sorted() }

    /// Every way `text` (one JSON document) differs from the table `document`: an undocumented key,
    /// a wrong type, a required key missing. Empty when it conforms.
    public func check(_ text: String, against document: String) -> [String] {
        guard let fields = documents[document] else { return ["docs/json.md has no section '\(document)'"] }
        let value: SchemaValue
        do { value = try SchemaValue.parse(text) } catch { return ["not JSON: \(error)"] }
        var problems: [String] = []
        check(value, path: "", fields: fields, problems: &problems)
        return problems
    }

    /// Checks the value at `path` (a documented key) and what it holds.
    private func check(_ value: SchemaValue, path: String, fields: [String: Field], problems: inout [String]) {
        if !path.isEmpty {
            guard let field = fields[path] else {
                problems.append("\(path): not in docs/json.md")
                return
            }
            if case .null = value {
                if !field.optional { problems.append("\(path): null, documented as \(field.type)") }
                return
            }
            guard Self.matches(value, field.type) else {
                problems.append("\(path): \(Self.kind(value)), documented as \(field.type)")
                return
            }
            if field.type == "opaque" { return }
        }
        contents(of: value, at: path, fields: fields, problems: &problems)
    }

    /// An object's members (a map's values as `path.*`) and an array's elements (as `path[]`).
    private func contents(of value: SchemaValue, at path: String, fields: [String: Field], problems: inout [String]) {
        switch value {
        case .object(let members) where !path.isEmpty && fields[path]?.type == "map":
            let item = path + ".*"
            for member in members.values {
                if fields[item] != nil {
                    check(member, path: item, fields: fields, problems: &problems)
                } else if fields.keys.contains(where: { $0.hasPrefix(item + ".") }) {
                    contents(of: member, at: item, fields: fields, problems: &problems)
                }
            }
        case .object(let members):
            let prefix = path.isEmpty ? "" : path + "."
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                check(member, path: prefix + key, fields: fields, problems: &problems)
            }
            // Required keys of this object: documented children with no `?`.
            for (documented, field) in fields.sorted(by: { $0.key < $1.key }) where !field.optional && documented.hasPrefix(prefix) {
                let rest = documented.dropFirst(prefix.count)
                guard !rest.isEmpty, !rest.contains("."), !rest.contains("[]"), rest != "*" else { continue }
                if members[String(rest)] == nil { problems.append("\(documented): missing") }
            }
        case .array(let elements):
            // Elements are described by the paths below `path[]`; with none, any element goes
            // (a list of strings such as `instances`).
            let item = path + "[]"
            guard fields.keys.contains(where: { $0.hasPrefix(item + ".") }) else { return }
            for element in elements {
                guard case .object = element else {
                    problems.append("\(item): \(Self.kind(element)), documented as object")
                    continue
                }
                contents(of: element, at: item, fields: fields, problems: &problems)
            }
        default:
            break
        }
    }

    private static func matches(_ value: SchemaValue, _ type: String) -> Bool {
        switch (value, type) {
        case (.string, "string"), (.bool, "boolean"), (.integer, "integer"), (.integer, "number"), (.number, "number"),
             (.array, "array"), (.object, "object"), (.object, "map"), (.object, "opaque"):
            true
        default:
            false
        }
    }

    private static func kind(_ value: SchemaValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
