import Foundation

/// An OpenSSH key revocation list (KRL, PROTOCOL.krl) revoking certificates by serial, per CA.
///
/// sshd reads it through `RevokedKeys`; `ssh-keygen -Q -f FILE CERT` checks a certificate against it.
public struct RevocationList: Hashable, Sendable {
    static let magic: UInt64 = 0x5353_484B_524C_0A00  // "SSHKRL\n\0"
    static let formatVersion: UInt32 = 1
    static let sectionCertificates: UInt8 = 1
    static let certSerialList: UInt8 = 0x20

    /// Increases every time the list changes.
    public var version: UInt64
    /// When the list was generated, seconds since 1970.
    public var generatedAt: UInt64
    /// A free-text comment kept in the file.
    public var comment: String
    /// Revoked serials, by the CA that signed them.
    public var revokedSerials: [SSHPublicKey: Set<UInt64>]

    /// Creates a list.
    public init(version: UInt64, generatedAt: UInt64, comment: String = "catalyze access", revokedSerials: [SSHPublicKey: Set<UInt64>] = [:]) {
        self.version = version
        self.generatedAt = generatedAt
        self.comment = comment
        self.revokedSerials = revokedSerials
    }

    /// The binary file: header, then one certificates section per CA (CAs and serials in ascending order).
    public func encoded() -> [UInt8] {
        var writer = SSHWireWriter()
        writer.uint64(Self.magic)
        writer.uint32(Self.formatVersion)
        writer.uint64(version)
        writer.uint64(generatedAt)
        writer.uint64(0)  // flags
        writer.string([UInt8]())  // reserved
        writer.string(comment)
        let cas = revokedSerials.keys.sorted { $0.rawKey.lexicographicallyPrecedes($1.rawKey) }
        for ca in cas {
            let serials = (revokedSerials[ca] ?? []).filter { $0 != 0 }.sorted()
            guard !serials.isEmpty else { continue }
            var section = SSHWireWriter()
            section.string(ca.wireBlob)
            section.string([UInt8]())  // reserved
            var list = SSHWireWriter()
            for serial in serials { list.uint64(serial) }
            section.byte(Self.certSerialList)
            section.string(list.bytes)
            writer.byte(Self.sectionCertificates)
            writer.string(section.bytes)
        }
        return writer.bytes
    }

    /// Parses a list written by `encoded()` (serial-list sections only); `source` names it in errors.
    public init(decoding bytes: [UInt8], source: String) throws {
        func fail(_ problem: String) -> AccessError { .revocationListFormat(path: source, problem: problem) }
        var reader = SSHWireReader(bytes)
        do {
            guard try reader.uint64() == Self.magic else { throw fail("not a KRL (bad magic)") }
            guard try reader.uint32() == Self.formatVersion else { throw fail("unsupported KRL format version") }
            version = try reader.uint64()
            generatedAt = try reader.uint64()
            _ = try reader.uint64()
            _ = try reader.string()
            comment = try reader.text()
            revokedSerials = [:]
            while !reader.isAtEnd {
                guard try reader.byte() == Self.sectionCertificates else { throw fail("unsupported KRL section") }
                var section = SSHWireReader(try reader.string())
                var caReader = SSHWireReader(try section.string())
                guard try caReader.text() == SSHPublicKey.algorithm else { throw fail("CA key is not Ed25519") }
                let ca = try SSHPublicKey(ed25519: try caReader.string())
                _ = try section.string()
                while !section.isAtEnd {
                    guard try section.byte() == Self.certSerialList else { throw fail("unsupported certificate subsection") }
                    var list = SSHWireReader(try section.string())
                    while !list.isAtEnd { revokedSerials[ca, default: []].insert(try list.uint64()) }
                }
            }
        } catch is SSHWireError {
            throw fail("the file is truncated")
        }
    }

    /// True when `serial` signed by `ca` is revoked.
    public func isRevoked(serial: UInt64, by ca: SSHPublicKey) -> Bool {
        revokedSerials[ca]?.contains(serial) ?? false
    }
}
