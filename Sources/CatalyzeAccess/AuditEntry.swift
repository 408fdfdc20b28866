import Crypto
import Foundation

/// What an audit entry records.
public enum AuditEntryKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// A certificate was issued.
    case grant
    /// A certificate was revoked.
    case revoke
    /// A logging or monitoring port was opened to a CIDR.
    case expose
    /// That port was closed again.
    case conceal
    /// The revocation list was pushed to running hosts (with each host's outcome).
    case pushKRL = "push_krl"
    /// Cloud resources of another lineage (or untagged) were taken over by this lockfile (`catalyze import`).
    case importResources = "import"
}

/// One line of the audit log. Its `hash` covers every other field, including the previous entry's hash,
/// so editing, removing or reordering any entry breaks the chain from there on.
public struct AuditEntry: Hashable, Sendable, Codable {
    /// 1, 2, 3, … in file order.
    public var sequence: Int
    /// When it happened, ISO 8601 UTC to the second.
    public var time: String
    /// What happened.
    public var kind: AuditEntryKind
    /// Who did it (the operator running catalyze).
    public var actor: String
    /// Facts about the event (serial, principal, engineer, reason, …); never key material.
    public var details: [String: String]
    /// The previous entry's hash (64 zeros for the first entry).
    public var previousHash: String
    /// SHA-256 (hex) of the canonical encoding of every field above.
    public var hash: String

    enum CodingKeys: String, CodingKey {
        case sequence, time, kind, actor, details, hash
        case previousHash = "previous_hash"
    }

    /// The `previousHash` of the first entry.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Builds an entry and computes its hash.
    public init(
        sequence: Int, time: Date, kind: AuditEntryKind, actor: String, details: [String: String], previousHash: String
    ) throws {
        self.sequence = sequence
        self.time = Self.format(time)
        self.kind = kind
        self.actor = actor
        self.details = details
        self.previousHash = previousHash
        self.hash = ""
        self.hash = try computedHash()
    }

    /// The hash these fields should have: SHA-256 over the key-sorted JSON of all fields but `hash`.
    public func computedHash() throws -> String {
        let body = Body(sequence: sequence, time: time, kind: kind, actor: actor, details: details, previousHash: previousHash)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return SHA256.hash(data: try encoder.encode(body)).map { String(format: "%02x", $0) }.joined()
    }

    /// The single-line JSON form written to the log.
    public func line() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Parses one log line.
    public init(line: String) throws {
        let decoder = JSONDecoder()
        self = try decoder.decode(AuditEntry.self, from: Data(line.utf8))
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    private struct Body: Encodable {
        var sequence: Int
        var time: String
        var kind: AuditEntryKind
        var actor: String
        var details: [String: String]
        var previousHash: String

        enum CodingKeys: String, CodingKey {
            case sequence, time, kind, actor, details
            case previousHash = "previous_hash"
        }
    }
}

/// The last audit entry known to exist (kept in the grants registry), so truncation is caught.
public struct AuditAnchor: Hashable, Sendable, Codable {
    /// Its sequence number.
    public var sequence: Int
    /// Its hash.
    public var hash: String

    /// Creates an anchor.
    public init(sequence: Int, hash: String) {
        self.sequence = sequence
        self.hash = hash
    }
}
