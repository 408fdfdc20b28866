/// The stable name of one resource in a pod, as used in the lockfile, plans and cloud tags.
///
/// Rendered as `region/kind.name`, e.g. `primary/instance.app01` or `dr/volume.db01`.
/// `region` is the manifest's region *name* (not the cloud region), so an address survives a move.
public struct ResourceAddress: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The manifest region name, e.g. `primary`.
    public var region: String
    /// What the resource is; its raw value is the middle part of the rendered address.
    public var kind: ResourceKind
    /// The name within kind, e.g. `app01`.
    public var name: String

    /// Creates an address.
    public init(region: String, kind: ResourceKind, name: String) {
        self.region = region
        self.kind = kind
        self.name = name
    }

    /// Parses `region/kind.name`; nil when malformed or when `kind` names no `ResourceKind`.
    public init?(parsing text: String) {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        let region = String(text[..<slash])
        let rest = text[text.index(after: slash)...]
        guard let dot = rest.firstIndex(of: ".") else { return nil }
        let name = String(rest[rest.index(after: dot)...])
        guard !region.isEmpty, !name.isEmpty, let kind = ResourceKind(rawValue: String(rest[..<dot])) else { return nil }
        self.init(region: region, kind: kind, name: name)
    }

    /// `region/kind.name`.
    public var description: String { "\(region)/\(kind.rawValue).\(name)" }

    /// Lexicographic order of the rendered form (the kind by its name, not its `rank`: lockfiles,
    /// plans and every sorted listing have always been in this order).
    public static func < (lhs: ResourceAddress, rhs: ResourceAddress) -> Bool {
        (lhs.region, lhs.kind.rawValue, lhs.name) < (rhs.region, rhs.kind.rawValue, rhs.name)
    }

    /// Encoded as its string form.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = ResourceAddress(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "malformed resource address '\(text)' (want region/kind.name)")
        }
        self = parsed
    }

    /// Encoded as its string form.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
