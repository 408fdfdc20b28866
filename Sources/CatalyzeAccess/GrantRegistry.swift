import Foundation

/// The grants registry file beside the lockfile: every grant, the KRL's version and the audit head.
///
/// Written atomically (temp file, fsync, rename) with mode 0600. It holds public data only.
public struct GrantRegistry: Hashable, Sendable, Codable {
    /// The file format's version.
    public var formatVersion: Int
    /// The version of the revocation list last written (it only grows).
    public var revocationListVersion: UInt64
    /// The last audit entry written, so a truncated audit log is caught.
    public var auditHead: AuditAnchor?
    /// Every grant, in issue order.
    public var grants: [Grant]

    /// The current format version.
    public static let currentFormatVersion = 1

    /// An empty registry.
    public init() {
        formatVersion = Self.currentFormatVersion
        revocationListVersion = 0
        auditHead = nil
        grants = []
    }

    /// Reads the registry at `path`; a missing file is an empty registry.
    public static func load(from path: String) throws -> GrantRegistry {
        guard FileManager.default.fileExists(atPath: path) else { return GrantRegistry() }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw AccessError.io(path: path, operation: "read", reason: error.localizedDescription)
        }
        do {
            let registry = try AccessJSON.decoder.decode(GrantRegistry.self, from: data)
            guard registry.formatVersion == currentFormatVersion else {
                throw AccessError.registryFormat(path: path, problem: "unsupported format_version \(registry.formatVersion)")
            }
            return registry
        } catch let error as AccessError {
            throw error
        } catch {
            throw AccessError.registryFormat(path: path, problem: "\(error)")
        }
    }

    /// Writes the registry to `path` atomically, mode 0600.
    public func save(to path: String) throws {
        let data = try AccessJSON.encoder.encode(self)
        try AtomicFile.replace(path, with: Array(data) + [0x0A], mode: 0o600)
    }

    /// The grant with `serial`, if any.
    public func grant(serial: CertificateSerial) -> Grant? { grants.first { $0.serial == serial } }

    /// Revoked serials grouped by the CA that signed them (the KRL's content).
    public func revokedSerials() throws -> [SSHPublicKey: Set<UInt64>] {
        var result: [SSHPublicKey: Set<UInt64>] = [:]
        for grant in grants where grant.revokedAt != nil {
            let ca = try SSHPublicKey(authorizedKeyLine: grant.caPublicKey, source: "registry grant \(grant.serial)")
            result[ca, default: []].insert(grant.serial.value)
        }
        return result
    }
}

/// The JSON settings shared by the registry and `--json` views: snake_case keys, sorted, ISO 8601 dates.
public enum AccessJSON {
    /// A pretty, key-sorted encoder.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// The matching decoder.
    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
