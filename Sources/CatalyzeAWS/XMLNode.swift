import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A tiny XML DOM for AWS Query-protocol replies: element name, text, children.
public final class XMLNode: @unchecked Sendable {
    /// The element's local name (namespace prefixes dropped).
    public let name: String
    /// The element's own text, trimmed.
    public fileprivate(set) var text: String = ""
    /// Child elements in document order.
    public fileprivate(set) var children: [XMLNode] = []

    init(name: String) { self.name = name }

    /// Parses a document; nil when it is not well-formed XML.
    public static func parse(_ data: Data) -> XMLNode? {
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { return nil }
        return root
    }

    /// The first child named `name`.
    public subscript(_ name: String) -> XMLNode? { children.first { $0.name == name } }

    /// Follows a path of child names, e.g. `node["instancesSet", "item"]`.
    public func at(_ path: String...) -> XMLNode? {
        var node: XMLNode? = self
        for part in path { node = node?[part] }
        return node
    }

    /// The text of the descendant at `path`, nil when absent.
    public func string(_ path: String...) -> String? {
        var node: XMLNode? = self
        for part in path { node = node?[part] }
        return node?.text
    }

    /// The `item`/`member` children of the descendant at `path` (the Query protocol's list encoding).
    public func list(_ path: String...) -> [XMLNode] {
        var node: XMLNode? = self
        for part in path { node = node?[part] }
        return node?.children.filter { $0.name == "item" || $0.name == "member" } ?? []
    }

    /// All descendants (depth first) named `name`.
    public func descendants(_ name: String) -> [XMLNode] {
        children.flatMap { ($0.name == name ? [$0] : []) + $0.descendants(name) }
    }

    /// EC2 `tagSet` / ELBv2 `Tags` as a dictionary.
    public var tags: [String: String] {
        var result: [String: String] = [:]
        for item in list("tagSet") + list("Tags") {
            if let key = item.string("key") ?? item.string("Key") {
                result[key] = item.string("value") ?? item.string("Value") ?? ""
            }
        }
        return result
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLNode?
        var stack: [XMLNode] = []
        var buffers: [String] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            let node = XMLNode(name: local)
            stack.last?.children.append(node)
            if root == nil { root = node }
            stack.append(node)
            buffers.append("")
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !buffers.isEmpty { buffers[buffers.count - 1] += string }
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
        ) {
            let node = stack.removeLast()
            node.text = buffers.removeLast().trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
