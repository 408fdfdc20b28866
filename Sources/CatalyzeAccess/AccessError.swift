import CatalyzeCore

/// Everything that can go wrong in access management. All message text lives in `description`;
/// no case carries key material (paths, names and fingerprints only).
public enum AccessError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A key file or key text could not be parsed.
    case keyFormat(source: String, problem: String)
    /// The CA private key file is readable by group or others.
    case caKeyTooOpen(path: String, mode: UInt16)
    /// Refusing to overwrite an existing file.
    case fileExists(path: String)
    /// A file-system call failed.
    case io(path: String, operation: String, reason: String)
    /// The TTL is zero or negative.
    case ttlNotPositive(TimeSpan)
    /// The TTL exceeds the policy's cap.
    case ttlOverCap(requested: TimeSpan, cap: TimeSpan, emergency: Bool)
    /// A name (pod, container, engineer) has characters that are not allowed.
    case invalidName(field: String, value: String)
    /// The reason text is unusable (control characters, too long).
    case invalidReason(problem: String)
    /// An emergency grant was asked for without a reason.
    case emergencyNeedsReason
    /// A `source-address` block is malformed.
    case invalidSourceAddress(String, problem: String)
    /// The key to certify is the CA key itself.
    case certifyingCAKey
    /// No grant has this serial.
    case grantNotFound(serial: CertificateSerial, registry: String)
    /// The grants registry could not be read.
    case registryFormat(path: String, problem: String)
    /// The revocation list could not be read.
    case revocationListFormat(path: String, problem: String)
    /// The audit log could not be appended to because it is unreadable.
    case auditFormat(path: String, line: Int, problem: String)
    /// Could not find a serial that is not already taken.
    case serialExhausted
    /// A KRL push with no container to push to.
    case nothingToPush
    /// `--ca` is not the CA that signed the grants (grant `serial`); hosts trust that one.
    case otherCA(serial: CertificateSerial, fingerprint: String)
    /// The grants registry (the source of the revocation list) is missing where one must exist: for
    /// a KRL push, or beside an audit log that has entries. A new, empty one would forget revocations.
    case registryMissing(path: String)
    /// The audit log has entries the grants registry does not reflect (an older registry was put
    /// back), so the revocation list it would give may miss revocations.
    case registryBehindAudit(registry: String, recorded: Int, logHead: Int)
    /// The audit log fails verification; nothing that depends on it proceeds.
    case auditNotIntact(path: String, problem: String)

    /// A one-line explanation saying what and where.
    public var description: String {
        switch self {
        case let .keyFormat(source, problem):
            "\(source): \(problem)"
        case let .caKeyTooOpen(path, mode):
            "\(path): the CA private key is readable by others (mode \(String(mode, radix: 8))); run `chmod 600 \(path)`"
        case let .fileExists(path):
            "\(path): already exists; refusing to overwrite it (move it away first)"
        case let .io(path, operation, reason):
            "\(path): cannot \(operation): \(reason)"
        case let .ttlNotPositive(ttl):
            "--ttl \(ttl): a grant must last more than 0s"
        case let .ttlOverCap(requested, cap, emergency):
            emergency
                ? "--ttl \(requested): an emergency grant may last at most \(cap) (the pod's access.emergencyMaxTtl)"
                : "--ttl \(requested): a grant may last at most \(cap) (the pod's access.maxTtl)"
        case let .invalidName(field, value) where ["pod", "region", "container"].contains(field):
            "\(field) `\(value)`: use 1–63 of a-z A-Z 0-9 _ -, starting with a letter or digit ('.' separates the names in a principal)"
        case let .invalidName(field, value):
            "\(field) `\(value)`: use 1–63 of a-z A-Z 0-9 . _ -, starting with a letter or digit"
        case let .invalidReason(problem):
            "--reason: \(problem)"
        case .emergencyNeedsReason:
            "--emergency: a break-glass grant needs a --reason"
        case let .invalidSourceAddress(text, problem):
            "--source `\(text)`: \(problem)"
        case .certifyingCAKey:
            "--key: this is the CA's own public key; pass the engineer's key"
        case let .grantNotFound(serial, registry):
            "no grant with serial \(serial) in \(registry)"
        case let .registryFormat(path, problem):
            "\(path): not a readable grants registry: \(problem)"
        case let .revocationListFormat(path, problem):
            "\(path): not a readable revocation list: \(problem)"
        case let .auditFormat(path, line, problem):
            "\(path):\(line): \(problem)"
        case .serialExhausted:
            "could not draw an unused certificate serial"
        case .nothingToPush:
            "no container to push the revocation list to: run beside the pod's manifest or lockfile, or pass --pod and --container"
        case let .otherCA(serial, fingerprint):
            "--ca (\(fingerprint)) is not the CA that signed grant \(serial); the hosts trust that CA, so pass its key"
        case let .registryMissing(path):
            "\(path): the grants registry is missing while the audit log has entries (or a push needs it): it was lost or moved; restore it from backup (a new, empty registry would forget revocations, and a list pushed from it would un-revoke certificates)"
        case let .registryBehindAudit(registry, recorded, logHead):
            "\(registry) records audit entry \(recorded), but the audit log goes on to entry \(logHead): the registry is an older copy and its revocation list may miss revocations; restore the current registry (run `catalyze access audit --verify`)"
        case let .auditNotIntact(path, problem):
            "\(path): the audit log fails verification (\(problem)); run `catalyze access audit --verify`"
        }
    }
}
