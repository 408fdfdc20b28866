import CatalyzeCore

/// What `access grant` asks for, already parsed.
public struct GrantRequest: Hashable, Sendable {
    /// The engineer's name (goes into the key id and the audit).
    public var engineer: String
    /// The engineer's own public key.
    public var publicKey: SSHPublicKey
    /// How long the certificate lasts, from now.
    public var ttl: TimeSpan
    /// The pod and container it opens.
    public var principal: Principal
    /// Why (required for emergencies).
    public var reason: String?
    /// Addresses it may be used from.
    public var sourceAddress: SourceAddressList?
    /// Break-glass: its own shorter cap, flagged in the key id and the audit.
    public var emergency: Bool

    /// Creates a request.
    public init(
        engineer: String, publicKey: SSHPublicKey, ttl: TimeSpan, principal: Principal,
        reason: String? = nil, sourceAddress: SourceAddressList? = nil, emergency: Bool = false
    ) {
        self.engineer = engineer
        self.publicKey = publicKey
        self.ttl = ttl
        self.principal = principal
        self.reason = reason
        self.sourceAddress = sourceAddress
        self.emergency = emergency
    }

    /// Checks names, reason and TTL against `policy`.
    public func validate(policy: GrantPolicy) throws {
        guard Self.isValidEngineer(engineer) else { throw AccessError.invalidName(field: "--to", value: engineer) }
        if let reason {
            guard !reason.trimmingSpaces.isEmpty else { throw AccessError.invalidReason(problem: "it is empty") }
            // Bytes, not characters: one letter with 60,000 combining marks is one grapheme cluster
            // and a 280 KB certificate.
            guard reason.utf8.count <= Self.maximumReasonBytes else {
                throw AccessError.invalidReason(problem: "keep it under \(Self.maximumReasonBytes) bytes (it has \(reason.utf8.count))")
            }
            guard !reason.unicodeScalars.contains(where: TextSafety.isUnsafe) else {
                throw AccessError.invalidReason(
                    problem: "it contains control, line-separator or bidirectional-formatting characters, which would display differently than they are stored")
            }
        } else if emergency {
            throw AccessError.emergencyNeedsReason
        }
        try policy.check(ttl: ttl, emergency: emergency)
    }

    /// The key id: `<engineer> for <principal>: <reason>`, prefixed `EMERGENCY ` for break-glass.
    public var keyIdentifier: String {
        let base = "\(engineer) for \(principal): \(reason ?? "no reason given")"
        return emergency ? "EMERGENCY " + base : base
    }

    /// The longest `--reason`, in UTF-8 bytes.
    public static let maximumReasonBytes = 200

    /// Engineer names: 1–64 of `a-z A-Z 0-9 . _ - @`, so they read cleanly in logs.
    static func isValidEngineer(_ text: String) -> Bool {
        // ASCII only, so 64 scalars are 64 bytes.
        (1...64).contains(text.utf8.count) && text.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || ".-_@".unicodeScalars.contains(scalar)
        }
    }
}

/// What `access grant` produced.
public struct GrantResult: Hashable, Sendable {
    /// The signed certificate (its `line` is the `-cert.pub` file's content).
    public var certificate: SignedCertificate
    /// The registry record.
    public var grant: Grant
}
