import Foundation

/// The append-only, hash-chained audit log (one JSON entry per line) beside the lockfile.
public struct AuditLog: Sendable {
    /// The log file's path.
    public let path: String

    /// A log at `path` (created on first append, mode 0600).
    public init(path: String) { self.path = path }

    /// Every entry, in file order; throws on the first unreadable line.
    public func entries() throws -> [AuditEntry] {
        try lines().enumerated().map { index, line in
            do { return try AuditEntry(line: line) } catch {
                throw AccessError.auditFormat(path: path, line: index + 1, problem: "not an audit entry")
            }
        }
    }

    /// Appends one entry chained to the last one, fsyncs, and returns it.
    ///
    /// Refuses to append to a log whose last entry does not parse (it would chain onto garbage).
    @discardableResult
    public func append(
        kind: AuditEntryKind, actor: String, details: [String: String], at time: Date, signer: AuditSigner? = nil
    ) throws -> AuditEntry {
        let existing = try lines()
        var previous: AuditEntry?
        if let last = existing.last {
            do { previous = try AuditEntry(line: last) } catch {
                throw AccessError.auditFormat(path: path, line: existing.count, problem: "the last entry is unreadable; run `catalyze access audit --verify`")
            }
        }
        let entry = try AuditEntry(
            sequence: (previous?.sequence ?? 0) + 1, time: time, kind: kind, actor: actor, details: details,
            previousHash: previous?.hash ?? AuditEntry.genesisHash, signer: signer)
        // Never through a symbolic link (it could point anywhere root can write), and never readable
        // by others: a log created with a looser mode, or loosened since, is tightened to 0600.
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw AccessError.io(path: path, operation: "open for append", reason: AtomicFile.openFailure(errno))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw AccessError.io(path: path, operation: "append to", reason: "it is not a regular file")
        }
        if status.st_mode & 0o077 != 0, fchmod(descriptor, 0o600) != 0 {
            throw AccessError.io(path: path, operation: "tighten the mode (to 0600) of", reason: String(cString: strerror(errno)))
        }
        try AtomicFile.writeAll(Array((try entry.line() + "\n").utf8), to: descriptor, path: path)
        guard fsync(descriptor) == 0 else {
            throw AccessError.io(path: path, operation: "sync", reason: String(cString: strerror(errno)))
        }
        return entry
    }

    /// Checks the whole chain and, when given, that the anchored entry is still there. With `keys`,
    /// also every signature: each signed entry against the public half of its role, and no unsigned
    /// entry after the first signed one whose role has a public half (unsigned entries are those of
    /// releases before 0.2.0, which precede every signed one, and exposure changes of a pod that names
    /// no `access.operatorPublicKey`; both are counted, not failed).
    public func verify(anchor: AuditAnchor?, keys: AuditKeys? = nil) throws -> AuditVerification {
        var problems: [AuditProblem] = []
        var unsigned = 0, signed = 0
        var previous: AuditEntry?
        var entries: [AuditEntry] = []
        for (index, line) in try lines().enumerated() {
            let number = index + 1
            guard let entry = try? AuditEntry(line: line) else {
                problems.append(.malformed(line: number))
                continue
            }
            if try entry.computedHash() != entry.hash {
                problems.append(.edited(line: number, sequence: entry.sequence))
            }
            let expectedSequence = (previous?.sequence ?? 0) + 1
            if entry.sequence != expectedSequence {
                problems.append(.outOfSequence(line: number, expected: expectedSequence, found: entry.sequence))
            }
            if entry.previousHash != (previous?.hash ?? AuditEntry.genesisHash) {
                problems.append(.brokenLink(line: number, sequence: entry.sequence))
            }
            if let keys {
                if let signer = entry.signer {
                    signed += 1
                    if !entry.kind.signerRoles.contains(signer.role) {
                        problems.append(.roleNotAllowed(line: number, sequence: entry.sequence, kind: entry.kind, role: signer.role))
                    } else if let key = keys.key(signer.role) {
                        if signer.key != key.fingerprint {
                            problems.append(.otherSigner(line: number, sequence: entry.sequence, role: signer.role, fingerprint: signer.key))
                        } else if !entry.isSigned(by: key) {
                            problems.append(.badSignature(line: number, sequence: entry.sequence, role: signer.role))
                        }
                    } else {
                        problems.append(.noPublicKey(line: number, sequence: entry.sequence, role: signer.role))
                    }
                } else if signed > 0 && entry.kind.signerRoles.contains(where: { keys.key($0) != nil }) || entry.hasSignedReleaseShape {
                    problems.append(.unsigned(line: number, sequence: entry.sequence))
                } else {
                    unsigned += 1
                }
            }
            previous = entry
            entries.append(entry)
        }
        if let anchor, !entries.contains(where: { $0.sequence == anchor.sequence && $0.hash == anchor.hash }) {
            problems.append(.anchorMissing(anchor))
        }
        let head = entries.last.map { AuditAnchor(sequence: $0.sequence, hash: $0.hash) }
        var verification = AuditVerification(path: path, entryCount: entries.count, head: head, problems: problems)
        if keys != nil {
            verification.signedCount = signed
            verification.unsignedCount = unsigned
        }
        return verification
    }

    private func lines() throws -> [String] {
        guard let bytes = try AtomicFile.read(path) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}

/// The outcome of `AuditLog.verify`: how many entries, the head, and every problem found.
public struct AuditVerification: Hashable, Sendable, Codable {
    /// The log's path.
    public var path: String
    /// Entries that parsed.
    public var entryCount: Int
    /// The last entry (publish it somewhere else to catch a rewrite of the whole chain).
    public var head: AuditAnchor?
    /// Everything wrong, in file order; empty when the log is intact.
    public var problems: [AuditProblem]
    /// Entries whose signature was checked (nil: signatures not checked).
    public var signedCount: Int?
    /// Unsigned entries accepted: written before 0.2.0 (before every signed one), or of a role the
    /// manifest names no public half for (nil: signatures not checked).
    public var unsignedCount: Int?

    /// The outcome.
    public init(path: String, entryCount: Int, head: AuditAnchor?, problems: [AuditProblem]) {
        self.path = path
        self.entryCount = entryCount
        self.head = head
        self.problems = problems
    }

    /// True when no problem was found.
    public var isIntact: Bool { problems.isEmpty }
}

/// One thing wrong with the audit log.
public enum AuditProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    /// A line that is not an audit entry.
    case malformed(line: Int)
    /// An entry whose fields no longer match its hash (edited in place).
    case edited(line: Int, sequence: Int)
    /// An entry that does not chain onto the one before it (an entry removed or moved before it).
    case brokenLink(line: Int, sequence: Int)
    /// Sequence numbers skip or go backwards (an entry removed or reordered).
    case outOfSequence(line: Int, expected: Int, found: Int)
    /// The last entry the registry recorded is gone (the log was truncated or rewritten).
    case anchorMissing(AuditAnchor)
    /// The log has entries but the grants registry is gone.
    case registryMissing(path: String)
    /// The registry records an older head than the log reaches (an older registry was put back).
    case registryBehind(recorded: Int, logHead: Int)
    /// A registered grant has no grant entry in the log.
    case grantNotLogged(serial: String)
    /// A logged grant is not in the registry.
    case grantNotRegistered(serial: String)
    /// A registered grant's `field` differs from what the log recorded at issue.
    case grantDiffers(serial: String, field: String)
    /// The registry marks a grant revoked that the log never saw revoked.
    case revocationNotLogged(serial: String)
    /// The log revoked a grant that the registry shows active (its revocation undone).
    case revocationUndone(serial: String)
    /// This machine saw a newer head (`seen`) than the log now holds: the folder was rolled back.
    case rolledBack(seen: AuditAnchor, logHead: Int)
    /// A signature that does not verify with its role's public half (the entry or chain was rewritten).
    case badSignature(line: Int, sequence: Int, role: AuditSignerRole)
    /// Signed by a key other than its role's public half.
    case otherSigner(line: Int, sequence: Int, role: AuditSignerRole, fingerprint: String)
    /// Signed by a role whose key may not sign entries of that kind (a grant signed by the operator key).
    case roleNotAllowed(line: Int, sequence: Int, kind: AuditEntryKind, role: AuditSignerRole)
    /// Signed, but the verifier was given no public half for its role.
    case noPublicKey(line: Int, sequence: Int, role: AuditSignerRole)
    /// An unsigned entry after a signed one (a signature removed, or an entry added without the key).
    case unsigned(line: Int, sequence: Int)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case let .malformed(line): "line \(line): not an audit entry"
        case let .edited(line, sequence): "line \(line): entry \(sequence) was edited (its hash does not match its content)"
        case let .brokenLink(line, sequence):
            "line \(line): entry \(sequence) does not follow the entry before it (an entry was removed or reordered)"
        case let .outOfSequence(line, expected, found): "line \(line): expected entry \(expected), found \(found)"
        case let .anchorMissing(anchor):
            "entry \(anchor.sequence) recorded in the grants registry is missing (the log was truncated or rewritten)"
        case let .registryMissing(path):
            "the log has entries but the grants registry \(path) is missing"
        case let .registryBehind(recorded, logHead):
            "the grants registry records entry \(recorded) but the log goes on to entry \(logHead) (an older registry was put back)"
        case let .grantNotLogged(serial): "grant \(serial) is in the registry but was never logged"
        case let .grantNotRegistered(serial): "grant \(serial) was logged but is missing from the registry"
        case let .grantDiffers(serial, field): "grant \(serial): the registry's \(field) differs from the one logged at issue"
        case let .revocationNotLogged(serial): "grant \(serial) is revoked in the registry but no revocation was logged"
        case let .revocationUndone(serial):
            "grant \(serial) was revoked (logged) but the registry shows it active: its revocation was undone"
        case let .rolledBack(seen, logHead):
            "this machine saw entry \(seen.sequence) (hash \(seen.hash.prefix(16))…), but the log \(logHead < seen.sequence ? "ends at entry \(logHead)" : "holds another entry there"): the folder was rolled back to an older copy"
        case let .badSignature(line, sequence, role):
            "line \(line): entry \(sequence)'s signature does not verify with \(role.manifestKey): the entry or the chain before it was rewritten without the \(role.rawValue) private key"
        case let .otherSigner(line, sequence, role, fingerprint):
            "line \(line): entry \(sequence) is signed by \(fingerprint), which is not \(role.manifestKey)"
        case let .roleNotAllowed(line, sequence, kind, role):
            "line \(line): entry \(sequence) (\(kind.rawValue)) is signed by the \(role.rawValue) key, which does not sign \(kind.rawValue) entries (only \(kind.signerRoles.map(\.manifestKey).joined(separator: " or ")))"
        case let .noPublicKey(line, sequence, role):
            "line \(line): entry \(sequence) is signed by the \(role.rawValue) key but the manifest names no \(role.manifestKey) to check it with"
        case let .unsigned(line, sequence):
            "line \(line): entry \(sequence) is not signed, but an entry before it is (only entries written before 0.2.0 may be unsigned, and only before every signed one): a signature was removed or the entry added without the key"
        }
    }
}
