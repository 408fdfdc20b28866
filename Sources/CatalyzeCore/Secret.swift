/// A secret value held in memory only. It never prints, never encodes, never interpolates.
///
/// Use `reveal()` at the single place the value is really needed (signing a request).
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String

    /// Wraps a secret value.
    public init(_ value: String) { self.value = value }

    /// The plain value. Call only where it is sent to its destination, never to print or store it.
    public func reveal() -> String { value }

    /// Always `<redacted>`.
    public var description: String { "<redacted>" }
    /// Always `<redacted>`.
    public var debugDescription: String { "<redacted>" }
}

/// Where a secret lives: a reference in the manifest, never the secret itself.
///
/// Written `env:NAME` (an environment variable) or `file:PATH` (a file, read at use).
/// Some references name a key held by a cloud service instead, e.g. `kms:alias/customer`.
public enum SecretReference: Hashable, Sendable, Codable, CustomStringConvertible {
    /// An environment variable.
    case environment(String)
    /// A file path (relative paths are resolved against the manifest's folder).
    case file(String)
    /// A key managed by the cloud's key service (the secret never leaves it), e.g. `kms:alias/acme`.
    case keyService(String)

    /// Parses `env:NAME`, `file:PATH` or `kms:ID`; nil for anything else (e.g. an inline secret).
    public init?(parsing text: String) {
        if text.hasPrefix("env:"), text.count > 4 {
            let name = String(text.dropFirst(4))
            guard name.allSatisfy({ $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) }),
                  let first = name.first, !first.isNumber
            else { return nil }
            self = .environment(name)
        } else if text.hasPrefix("file:"), text.count > 5 {
            self = .file(String(text.dropFirst(5)))
        } else if text.hasPrefix("kms:"), text.count > 4 {
            self = .keyService(String(text.dropFirst(4)))
        } else {
            return nil
        }
    }

    /// The reference as written in a manifest: `env:NAME`, `file:PATH`, `kms:ID`.
    public var description: String {
        switch self {
        case .environment(let name): "env:\(name)"
        case .file(let path): "file:\(path)"
        case .keyService(let id): "kms:\(id)"
        }
    }

    /// Encoded as its string form (a reference is not a secret, so it may be stored).
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = SecretReference(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a secret reference")
        }
        self = parsed
    }

    /// Encoded as its string form.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
