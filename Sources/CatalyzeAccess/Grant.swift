import Foundation

/// One issued certificate, as remembered in the grants registry (no key material beyond public keys).
public struct Grant: Hashable, Sendable, Codable {
    /// The certificate's serial.
    public var serial: CertificateSerial
    /// The engineer it was issued to (`--to`).
    public var engineer: String
    /// The pod and container it opens.
    public var principal: Principal
    /// Why (`--reason`), if given.
    public var reason: String?
    /// True for a break-glass grant.
    public var emergency: Bool
    /// The `source-address` restriction, if any.
    public var sourceAddress: SourceAddressList?
    /// The certificate's key id (what sshd logs).
    public var keyIdentifier: String
    /// `SHA256:…` of the engineer's public key.
    public var keyFingerprint: String
    /// The CA's public key line (the KRL needs it to revoke).
    public var caPublicKey: String
    /// When catalyze signed it.
    public var issuedAt: Date
    /// First valid instant (issue time minus the clock-skew allowance).
    public var validAfter: Date
    /// First invalid instant (issue time plus the TTL).
    public var validBefore: Date
    /// When it was revoked, if it was.
    public var revokedAt: Date?

    /// Creates a record.
    public init(
        serial: CertificateSerial, engineer: String, principal: Principal, reason: String?, emergency: Bool,
        sourceAddress: SourceAddressList?, keyIdentifier: String, keyFingerprint: String, caPublicKey: String,
        issuedAt: Date, validAfter: Date, validBefore: Date, revokedAt: Date? = nil
    ) {
        self.serial = serial
        self.engineer = engineer
        self.principal = principal
        self.reason = reason
        self.emergency = emergency
        self.sourceAddress = sourceAddress
        self.keyIdentifier = keyIdentifier
        self.keyFingerprint = keyFingerprint
        self.caPublicKey = caPublicKey
        self.issuedAt = issuedAt
        self.validAfter = validAfter
        self.validBefore = validBefore
        self.revokedAt = revokedAt
    }

    /// Revoked wins over expired; a grant is active when `validAfter ≤ now < validBefore`.
    public func status(at now: Date) -> GrantStatus {
        if revokedAt != nil { return .revoked }
        if now >= validBefore { return .expired }
        if now < validAfter { return .pending }
        return .active
    }
}

/// Where a grant stands at a given instant.
public enum GrantStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// Usable now.
    case active
    /// Not yet valid (its start lies in the future).
    case pending
    /// Past its TTL.
    case expired
    /// Revoked (listed in the KRL).
    case revoked
}
