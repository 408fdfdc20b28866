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
    /// A request to `catalyze serve` without valid credentials (in the server's own log, never a pod's).
    case apiDenied = "api_denied"

    /// Whose key signs entries of this kind: the CA's for grants, revokes and pushes (the commands
    /// hold it to sign certificates), the operator's for exposure changes and imports.
    public var signerRole: AuditSignerRole {
        switch self {
        case .grant, .revoke, .pushKRL: .ca
        case .expose, .conceal, .importResources, .apiDenied: .operator
        }
    }

    /// Every role whose key may sign entries of this kind: `signerRole`, and for a revoke also the
    /// operator (an emergency revoke never waits for the customer's CA key). Grants and pushes stay
    /// the CA's alone, exposure changes and imports the operator's.
    public var signerRoles: [AuditSignerRole] {
        self == .revoke ? [.ca, .operator] : [signerRole]
    }
}

/// Whose key signs an audit entry, and where verifiers find its public half.
public enum AuditSignerRole: String, Hashable, Sendable, Codable {
    /// The customer's SSH CA (grants, revokes, KRL pushes): public half `access.caPublicKey`.
    case ca
    /// The operator running exposure changes (expose, conceal, import): public half `access.operatorPublicKey`.
    case `operator`

    /// The manifest key naming the public half.
    public var manifestKey: String { self == .ca ? "access.caPublicKey" : "access.operatorPublicKey" }
}

/// The key that signed an entry: its role and its public key's fingerprint (part of the hashed
/// fields, so removing a signature is caught as well as forging one).
public struct AuditSignerID: Hashable, Sendable, Codable {
    /// Whose key.
    public var role: AuditSignerRole
    /// `SHA256:…` of the public key.
    public var key: String
}

/// A private key that signs new audit heads (Ed25519, the CA key type), with its role.
public struct AuditSigner: Sendable {
    /// The key pair (private half redacted in every description).
    public let key: CertificateAuthorityKey
    /// Whose key it is.
    public let role: AuditSignerRole

    /// A signer.
    public init(key: CertificateAuthorityKey, role: AuditSignerRole) {
        self.key = key
        self.role = role
    }
}

/// The public halves `audit --verify` checks signatures with (from the manifest).
public struct AuditKeys: Hashable, Sendable {
    /// `access.caPublicKey`.
    public var ca: SSHPublicKey?
    /// `access.operatorPublicKey`.
    public var `operator`: SSHPublicKey?

    /// The keys.
    public init(ca: SSHPublicKey?, operator: SSHPublicKey?) {
        self.ca = ca
        self.operator = `operator`
    }

    func key(_ role: AuditSignerRole) -> SSHPublicKey? { role == .ca ? ca : `operator` }
}

/// One line of the audit log. Its `hash` covers every other field but `signature`, including the
/// previous entry's hash, so editing, removing or reordering any entry breaks the chain from there
/// on; `signature` (Ed25519 over `signedMessage`, i.e. over the hash, so over the whole chain up to
/// this entry) is made by the key `signer` names, so rewriting the chain needs that private key too.
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
    /// Who signed it (nil: an entry of a release before 0.2.0, unsigned).
    public var signer: AuditSignerID?
    /// SHA-256 (hex) of the canonical encoding of every field above.
    public var hash: String
    /// Base64 Ed25519 signature of `signedMessage` by `signer`'s key (not part of the hash).
    public var signature: String?

    enum CodingKeys: String, CodingKey {
        case sequence, time, kind, actor, details, hash, signer, signature
        case previousHash = "previous_hash"
    }

    /// What the signature signs: a domain tag and the entry's hash.
    public var signedMessage: [UInt8] { Array("catalyze-audit-v1\n\(hash)".utf8) }

    /// The `previousHash` of the first entry.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Builds an entry and computes its hash.
    public init(
        sequence: Int, time: Date, kind: AuditEntryKind, actor: String, details: [String: String], previousHash: String,
        signer: AuditSigner? = nil
    ) throws {
        self.sequence = sequence
        self.time = Self.format(time)
        self.kind = kind
        self.actor = actor
        self.details = details
        self.previousHash = previousHash
        self.signer = signer.map { AuditSignerID(role: $0.role, key: $0.key.publicKey.fingerprint) }
        self.hash = ""
        self.hash = try computedHash()
        if let signer { signature = Data(try signer.key.sign(signedMessage)).base64EncodedString() }
    }

    /// True for a grant in the shape only releases that sign write (0.2.0 added `region` and
    /// `principal_form` and signing together): unsigned, it was stripped of its signature, so a
    /// rewrite cannot pass the whole chain off as one of an older release.
    public var hasSignedReleaseShape: Bool {
        kind == .grant && (details["principal_form"] != nil || details["region"] != nil)
    }

    /// Whether `signature` is `key`'s over this entry.
    public func isSigned(by key: SSHPublicKey) -> Bool {
        guard let signature, let bytes = Data(base64Encoded: signature),
              let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key.rawKey) else { return false }
        return publicKey.isValidSignature(bytes, for: signedMessage)
    }

    /// The hash these fields should have: SHA-256 over the key-sorted JSON of all fields but `hash`.
    public func computedHash() throws -> String {
        let body = Body(sequence: sequence, time: time, kind: kind, actor: actor, details: details, previousHash: previousHash, signer: signer)
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
        /// Absent (not null) when unsigned, so entries of older releases keep their hashes.
        var signer: AuditSignerID?

        enum CodingKeys: String, CodingKey {
            case sequence, time, kind, actor, details, signer
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
