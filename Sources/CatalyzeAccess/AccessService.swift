import CatalyzeCore
import Foundation

/// The access entry points the CLI calls: grant, revoke, list, audit. Each mutating call holds the
/// folder lock, writes the audit entry, then the registry (whose audit head anchors the log).
public struct AccessService: Sendable {
    /// The files it reads and writes.
    public let paths: AccessPaths
    /// The source of "now".
    public let clock: any WallClock
    /// The source of serials and nonces.
    public let random: any RandomSource
    /// TTL caps and clock skew.
    public let policy: GrantPolicy
    /// Where this machine remembers the newest audit head it saw (nil: nowhere).
    public let witness: AuditWitness?

    /// Creates the service.
    public init(
        paths: AccessPaths, clock: any WallClock, random: any RandomSource, policy: GrantPolicy = .standard,
        witness: AuditWitness? = nil
    ) {
        self.paths = paths
        self.clock = clock
        self.random = random
        self.policy = policy
        self.witness = witness
    }

    /// Validates the request, signs a certificate with `ca`, records it in the registry and the audit.
    public func grant(_ request: GrantRequest, ca: CertificateAuthorityKey, actor: String) throws -> GrantResult {
        try request.validate(policy: policy)
        guard request.publicKey != ca.publicKey else { throw AccessError.certifyingCAKey }
        let lock = try AccessFolderLock(path: paths.lock)
        defer { withExtendedLifetime(lock) {} }
        var registry = try currentRegistry(allowingFresh: true)
        let serial = try drawSerial(avoiding: Set(registry.grants.map(\.serial)))
        let now = clock.now()
        let nowSeconds = UInt64(max(0, now.timeIntervalSince1970.rounded(.down)))
        let validAfter = nowSeconds - min(nowSeconds, UInt64(policy.clockSkewAllowance.seconds))
        let validBefore = nowSeconds + UInt64(request.ttl.seconds)
        var options: [String: String] = [:]
        if let source = request.sourceAddress { options["source-address"] = source.description }
        let unsigned = UserCertificate(
            publicKey: request.publicKey, serial: serial.value, keyID: request.keyIdentifier,
            principals: [request.principal.name], validAfter: validAfter, validBefore: validBefore,
            criticalOptions: options, extensions: ["permit-pty": ""])
        let signed = try unsigned.signed(by: ca, nonce: random.bytes(32))
        let grant = Grant(
            serial: serial, engineer: request.engineer, principal: request.principal, reason: request.reason,
            emergency: request.emergency, sourceAddress: request.sourceAddress, keyIdentifier: request.keyIdentifier,
            keyFingerprint: request.publicKey.fingerprint, caPublicKey: ca.publicKey.authorizedKeyLine,
            issuedAt: Date(timeIntervalSince1970: TimeInterval(nowSeconds)),
            validAfter: Date(timeIntervalSince1970: TimeInterval(validAfter)),
            validBefore: Date(timeIntervalSince1970: TimeInterval(validBefore)))
        var details = [
            "serial": serial.description, "principal": request.principal.name, "engineer": request.engineer,
            "key_fingerprint": grant.keyFingerprint, "ca_fingerprint": ca.publicKey.fingerprint,
            "ttl": request.ttl.description, "valid_before": AuditEntry.format(grant.validBefore),
            "emergency": request.emergency ? "true" : "false",
        ]
        if let region = request.principal.region { details["region"] = region }
        details["principal_form"] = request.principal.form.rawValue
        if let reason = request.reason { details["reason"] = reason }
        if let source = request.sourceAddress { details["source_address"] = source.description }
        // The CA that signs the certificate signs the new audit head.
        let entry = try AuditLog(path: paths.auditLog).append(
            kind: .grant, actor: actor, details: details, at: now, signer: AuditSigner(key: ca, role: .ca))
        registry.grants.append(grant)
        registry.auditHead = AuditAnchor(sequence: entry.sequence, hash: entry.hash)
        try registry.save(to: paths.registry)
        try witness(entry)
        if !FileManager.default.fileExists(atPath: paths.revocationList) {
            try writeRevocationList(registry, at: now)
        }
        return GrantResult(certificate: signed, grant: grant)
    }

    /// Marks the grant revoked, rewrites the KRL, and audits it, the entry signed by `signer` (the
    /// customer's CA key). Revoking twice changes nothing and returns `alreadyRevoked == true`.
    public func revoke(serial: CertificateSerial, actor: String, signer: AuditSigner? = nil) throws -> RevokeResult {
        let lock = try AccessFolderLock(path: paths.lock)
        defer { withExtendedLifetime(lock) {} }
        var registry = try currentRegistry(allowingFresh: true)
        guard let index = registry.grants.firstIndex(where: { $0.serial == serial }) else {
            throw AccessError.grantNotFound(serial: serial, registry: paths.registry)
        }
        if registry.grants[index].revokedAt != nil {
            return RevokeResult(grant: registry.grants[index], alreadyRevoked: true, revocationListPath: paths.revocationList)
        }
        let now = clock.now()
        registry.grants[index].revokedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        // Never reused, even after an older registry was put back: the version also moves with the
        // clock (microseconds), so a list made later carries a higher version than any made before
        // (hosts refuse a lower one; see `HostLogin.installer`).
        registry.revocationListVersion = max(registry.revocationListVersion + 1, UInt64(max(0, now.timeIntervalSince1970 * 1_000_000)))
        try writeRevocationList(registry, at: now)
        let grant = registry.grants[index]
        let entry = try AuditLog(path: paths.auditLog).append(
            kind: .revoke, actor: actor,
            details: ["serial": serial.description, "principal": grant.principal.name, "engineer": grant.engineer],
            at: now, signer: signer)
        registry.auditHead = AuditAnchor(sequence: entry.sequence, hash: entry.hash)
        try registry.save(to: paths.registry)
        try witness(entry)
        return RevokeResult(grant: grant, alreadyRevoked: false, revocationListPath: paths.revocationList)
    }

    /// Every grant with its status now, newest first.
    public func list() throws -> [GrantListing] {
        let now = clock.now()
        return try GrantRegistry.load(from: paths.registry).grants
            .sorted { ($0.issuedAt, $0.serial) > ($1.issuedAt, $1.serial) }
            .map { GrantListing(grant: $0, status: $0.status(at: now)) }
    }

    /// Every audit entry, in order.
    public func auditEntries() throws -> [AuditEntry] { try AuditLog(path: paths.auditLog).entries() }

    /// Appends an `expose` or `conceal` (or any) entry, keeping the registry's audit head current.
    @discardableResult
    public func record(_ kind: AuditEntryKind, actor: String, details: [String: String], signer: AuditSigner? = nil) throws -> AuditEntry {
        let lock = try AccessFolderLock(path: paths.lock)
        defer { withExtendedLifetime(lock) {} }
        var registry = try currentRegistry(allowingFresh: true)
        let entry = try AuditLog(path: paths.auditLog).append(kind: kind, actor: actor, details: details, at: clock.now(), signer: signer)
        registry.auditHead = AuditAnchor(sequence: entry.sequence, hash: entry.hash)
        try registry.save(to: paths.registry)
        try witness(entry)
        return entry
    }

    /// The KRL bytes for the registry's current revocations (what hosts should read).
    public func revocationList() throws -> [UInt8] {
        let registry = try currentRegistry(allowingFresh: true)
        return try RevocationList(
            version: registry.revocationListVersion, generatedAt: UInt64(max(0, clock.now().timeIntervalSince1970)),
            revokedSerials: registry.revokedSerials()
        ).encoded()
    }

    private func writeRevocationList(_ registry: GrantRegistry, at now: Date) throws {
        let list = RevocationList(
            version: registry.revocationListVersion, generatedAt: UInt64(max(0, now.timeIntervalSince1970)),
            revokedSerials: try registry.revokedSerials())
        try AtomicFile.replace(paths.revocationList, with: list.encoded(), mode: 0o644)
    }

    /// The grants registry, refused when it is missing while the audit log has entries, or behind
    /// the audit log (an older copy put back): a revocation list made from it could miss
    /// revocations, and an entry appended to it would hide the gap. With `allowingFresh`, a folder
    /// with neither file starts an empty registry (the first grant).
    func currentRegistry(allowingFresh: Bool) throws -> GrantRegistry {
        let log = AuditLog(path: paths.auditLog)
        guard FileManager.default.fileExists(atPath: paths.registry) else {
            let logged = try log.verify(anchor: nil).entryCount
            guard allowingFresh, logged == 0 else { throw AccessError.registryMissing(path: paths.registry) }
            return GrantRegistry()
        }
        let registry = try GrantRegistry.load(from: paths.registry)
        let verification = try log.verify(anchor: registry.auditHead)
        if let problem = verification.problems.first {
            throw AccessError.auditNotIntact(path: paths.auditLog, problem: problem.description)
        }
        let recorded = registry.auditHead?.sequence ?? 0
        if let head = verification.head, head.sequence > recorded {
            throw AccessError.registryBehindAudit(registry: paths.registry, recorded: recorded, logHead: head.sequence)
        }
        return registry
    }

    func drawSerial(avoiding taken: Set<CertificateSerial>) throws -> CertificateSerial {
        for _ in 0..<16 {
            let value = random.uint64()
            if value != 0, !taken.contains(CertificateSerial(value)) { return CertificateSerial(value) }
        }
        throw AccessError.serialExhausted
    }
}

/// A grant and where it stands now.
public struct GrantListing: Hashable, Sendable, Codable {
    /// The registry record.
    public var grant: Grant
    /// Active, pending, expired or revoked.
    public var status: GrantStatus
}

/// What `access revoke` did.
public struct RevokeResult: Hashable, Sendable {
    /// The grant, now revoked.
    public var grant: Grant
    /// True when it had been revoked before (nothing changed).
    public var alreadyRevoked: Bool
    /// The KRL file hosts must receive.
    public var revocationListPath: String
}
