/// A cloud that catalyze can place a pod region on, by its name in manifests and lockfiles
/// (`aws`, `rax`).
///
/// A struct rather than an enum so that a new cloud is a file of its own (`Clouds/<Cloud>.swift`,
/// a `CloudDescription`) and no `switch` over every cloud exists: `allCases` and the names a
/// manifest or lockfile may use come from the registered descriptions.
public struct Provider: RawRepresentable, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// The name in manifests and lockfiles.
    public let rawValue: String

    /// The cloud named `rawValue`; nil when no registered cloud has that name.
    public init?(rawValue: String) {
        guard CloudCatalog.byName[rawValue] != nil else { return nil }
        self.rawValue = rawValue
    }

    /// A cloud's own provider, made once by its `CloudDescription`.
    init(registered name: String) { rawValue = name }

    /// Every cloud, by name.
    public static var allCases: [Provider] { CloudCatalog.all.map(\.provider) }

    /// What this cloud offers (its `CloudDescription`).
    public var capabilities: CloudCapabilities {
        // Every `Provider` is a registered cloud's: `init?(rawValue:)` checks, and only the
        // descriptions use `init(registered:)`.
        guard let capabilities = CloudCatalog.byName[rawValue] else { preconditionFailure("no cloud named '\(rawValue)' is registered") }
        return capabilities
    }

    /// `aws` or `rax`.
    public var description: String { rawValue }

    /// Encoded as its name.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let provider = Provider(rawValue: name) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown provider '\(name)' (known: \(Self.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = provider
    }

    /// Encoded as its name.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
