import Foundation

extension AccessService {
    /// Verifies the access records as evidence: the audit chain, the registry's recorded head, the
    /// registry against the log (every grant and revocation in one is in the other, with the same
    /// facts), and, with a witness, that the log still reaches the newest head this machine saw.
    /// With `keys` (the manifest's public halves), every signature too (`AuditLog.verify`).
    public func verifyAudit(keys: AuditKeys? = nil) throws -> AuditVerification {
        let log = AuditLog(path: paths.auditLog)
        guard FileManager.default.fileExists(atPath: paths.registry) else {
            var verification = try log.verify(anchor: nil, keys: keys)
            if verification.entryCount > 0 { verification.problems.append(.registryMissing(path: paths.registry)) }
            checkWitness(&verification, entries: try? log.entries())
            return verification
        }
        let registry = try GrantRegistry.load(from: paths.registry)
        var verification = try log.verify(anchor: registry.auditHead, keys: keys)
        let entries = (try? log.entries()) ?? []
        let recorded = registry.auditHead?.sequence ?? 0
        if let head = verification.head, head.sequence > recorded {
            verification.problems.append(.registryBehind(recorded: recorded, logHead: head.sequence))
        }
        verification.problems += Self.crossCheck(registry, entries)
        checkWitness(&verification, entries: entries)
        return verification
    }

    /// Registry ↔ log: each grant's facts as logged, each logged grant registered, each revocation
    /// in both (a registry with a revocation undone would give a revocation list that un-revokes).
    static func crossCheck(_ registry: GrantRegistry, _ entries: [AuditEntry]) -> [AuditProblem] {
        var problems: [AuditProblem] = []
        let grants = Dictionary(entries.filter { $0.kind == .grant }.map { ($0.details["serial"] ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        let revokes = Set(entries.filter { $0.kind == .revoke }.compactMap { $0.details["serial"] })
        let registered = Set(registry.grants.map(\.serial.description))
        for grant in registry.grants {
            let serial = grant.serial.description
            guard let entry = grants[serial] else {
                problems.append(.grantNotLogged(serial: serial))
                continue
            }
            let facts = [
                ("principal", grant.principal.name), ("engineer", grant.engineer), ("key_fingerprint", grant.keyFingerprint),
                ("valid_before", AuditEntry.format(grant.validBefore)),
            ]
            // Grants recorded before 0.2.0 have no region (their entries none either).
            if let region = grant.principal.region, entry.details["region"] != region {
                problems.append(.grantDiffers(serial: serial, field: "region"))
            }
            for (field, value) in facts where entry.details[field] != value {
                problems.append(.grantDiffers(serial: serial, field: field))
            }
            if grant.revokedAt != nil, !revokes.contains(serial) { problems.append(.revocationNotLogged(serial: serial)) }
            if grant.revokedAt == nil, revokes.contains(serial) { problems.append(.revocationUndone(serial: serial)) }
        }
        for serial in grants.keys.sorted() where !registered.contains(serial) {
            problems.append(.grantNotRegistered(serial: serial))
        }
        return problems
    }

    private func checkWitness(_ verification: inout AuditVerification, entries: [AuditEntry]?) {
        guard let witness, let seen = witness.head() else { return }
        let entry = entries?.first { $0.sequence == seen.sequence }
        if entry?.hash != seen.hash {
            verification.problems.append(.rolledBack(seen: seen, logHead: verification.head?.sequence ?? 0))
        }
    }

    /// Records the new head in the witness (when there is one).
    func witness(_ entry: AuditEntry) throws {
        try witness?.advance(to: AuditAnchor(sequence: entry.sequence, hash: entry.hash))
    }
}
