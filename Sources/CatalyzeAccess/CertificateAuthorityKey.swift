import Crypto
import Foundation

/// The customer's Ed25519 CA key pair. The private half lives only in memory and in the customer's file.
///
/// It never prints (`description` is redacted) and has no `Codable` conformance, so it cannot slip into
/// a lockfile, plan, registry or audit entry.
public struct CertificateAuthorityKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let signingKey: Curve25519.Signing.PrivateKey
    /// The public half, with the key's comment.
    public let publicKey: SSHPublicKey

    /// Makes a new key pair from 32 bytes of `random`.
    public static func generate(comment: String, using random: some RandomSource) throws -> CertificateAuthorityKey {
        try CertificateAuthorityKey(seed: random.bytes(32), comment: comment)
    }

    /// Rebuilds a key pair from its 32-byte Ed25519 seed.
    init(seed: [UInt8], comment: String) throws {
        signingKey = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        publicKey = try SSHPublicKey(ed25519: Array(signingKey.publicKey.rawRepresentation), comment: comment)
    }

    /// Signs `message` with the CA's private key (a 64-byte Ed25519 signature).
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        Array(try signingKey.signature(for: message))
    }

    /// Always `<redacted>` plus the public fingerprint.
    public var description: String { "CA key <redacted> (\(publicKey.fingerprint))" }
    /// Always `<redacted>` plus the public fingerprint.
    public var debugDescription: String { description }
    /// Shows only the public half to `dump` and debuggers.
    public var customMirror: Mirror { Mirror(self, children: ["publicKey": publicKey]) }
}
