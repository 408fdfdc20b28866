import CatalyzeCore
import CatalyzeModel
import Foundation

/// A write-ahead intent: one mutating cloud call about to be made.
///
/// Saved in the lockfile *before* the call, and removed — together with recording its result —
/// after it. An entry found at load time means a run was interrupted mid-call: the resource may
/// or may not exist, and the token (tagged on everything catalyze creates) tells which.
public struct JournalEntry: Codable, Sendable, Equatable, Hashable {
    /// The idempotency token sent with the call (and tagged on the resource as `catalyze:op`).
    public var token: String
    /// Create, update or delete.
    public var operation: CatalyzeModel.Operation
    /// The resource's address.
    public var address: ResourceAddress
    /// What it is.
    public var kind: ResourceKind
    /// Which cloud.
    public var provider: Provider
    /// The cloud's own region name.
    public var cloudRegion: String
    /// The attributes the call asks for (non-secret).
    public var attributes: [String: String]
    /// When the call started, to the millisecond (finer parts are dropped so it round-trips exactly).
    public var startedAt: Date

    /// Creates an entry; `startedAt` is rounded to the millisecond.
    public init(
        token: String, operation: CatalyzeModel.Operation, address: ResourceAddress, kind: ResourceKind, provider: Provider,
        cloudRegion: String, attributes: [String: String], startedAt: Date
    ) {
        self.token = token
        self.operation = operation
        self.address = address
        self.kind = kind
        self.provider = provider
        self.cloudRegion = cloudRegion
        self.attributes = attributes
        self.startedAt = Timestamp.normalized(startedAt)
    }

    /// Creates the intent for applying `spec`.
    public init(token: String, operation: CatalyzeModel.Operation, spec: ResourceSpec, startedAt: Date) {
        self.init(
            token: token, operation: operation, address: spec.address, kind: spec.kind, provider: spec.provider,
            cloudRegion: spec.cloudRegion, attributes: spec.attributes, startedAt: startedAt)
    }

    /// Decodes an entry (`started_at` is an RFC 3339 UTC timestamp with milliseconds).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .startedAt)
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .startedAt, in: container, debugDescription: "not a timestamp: '\(text)'")
        }
        self.init(
            token: try container.decode(String.self, forKey: .token),
            operation: try container.decode(CatalyzeModel.Operation.self, forKey: .operation),
            address: try container.decode(ResourceAddress.self, forKey: .address),
            kind: try container.decode(ResourceKind.self, forKey: .kind),
            provider: try container.decode(Provider.self, forKey: .provider),
            cloudRegion: try container.decode(String.self, forKey: .cloudRegion),
            attributes: try container.decode([String: String].self, forKey: .attributes),
            startedAt: date)
    }

    /// Encodes the entry (`started_at` as an RFC 3339 UTC timestamp with milliseconds).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(token, forKey: .token)
        try container.encode(operation, forKey: .operation)
        try container.encode(address, forKey: .address)
        try container.encode(kind, forKey: .kind)
        try container.encode(provider, forKey: .provider)
        try container.encode(cloudRegion, forKey: .cloudRegion)
        try container.encode(attributes, forKey: .attributes)
        try container.encode(Timestamp.format(startedAt), forKey: .startedAt)
    }

    enum CodingKeys: String, CodingKey {
        case token, operation, address, kind, provider, attributes
        case cloudRegion = "cloud_region"
        case startedAt = "started_at"
    }
}
