import Foundation

/// An OpenSSH user certificate (`ssh-ed25519-cert-v01@openssh.com`), as laid out in PROTOCOL.certkeys.
///
/// Build one with the fields, then `signed(by:nonce:)` gives the encoded certificate.
public struct UserCertificate: Hashable, Sendable {
    /// The certificate key type.
    public static let algorithm = "ssh-ed25519-cert-v01@openssh.com"
    /// `SSH_CERT_TYPE_USER`.
    static let userType: UInt32 = 1

    /// The engineer's public key being certified.
    public var publicKey: SSHPublicKey
    /// The serial number, unique per CA (what a KRL revokes).
    public var serial: UInt64
    /// Free text naming who and why; sshd logs it on every login.
    public var keyID: String
    /// The principals (user names the host accepts via `AuthorizedPrincipalsFile`).
    public var principals: [String]
    /// First valid second (inclusive), seconds since 1970.
    public var validAfter: UInt64
    /// First invalid second (exclusive), seconds since 1970.
    public var validBefore: UInt64
    /// Critical options by name, e.g. `source-address` → `127.0.0.2/32`. Hosts refuse unknown ones.
    public var criticalOptions: [String: String]
    /// Extensions by name (flags such as `permit-pty` have an empty value).
    public var extensions: [String: String]

    /// Creates the unsigned fields.
    public init(
        publicKey: SSHPublicKey, serial: UInt64, keyID: String, principals: [String],
        validAfter: UInt64, validBefore: UInt64, criticalOptions: [String: String] = [:],
        extensions: [String: String] = ["permit-pty": ""]
    ) {
        self.publicKey = publicKey
        self.serial = serial
        self.keyID = keyID
        self.principals = principals
        self.validAfter = validAfter
        self.validBefore = validBefore
        self.criticalOptions = criticalOptions
        self.extensions = extensions
    }

    /// Encodes the fields, signs them with `ca`, and returns the complete certificate.
    ///
    /// `nonce` should be 32 fresh random bytes (it defeats chosen-prefix attacks on the signature hash).
    public func signed(by ca: CertificateAuthorityKey, nonce: [UInt8]) throws -> SignedCertificate {
        var writer = SSHWireWriter()
        writer.string(Self.algorithm)
        writer.string(nonce)
        writer.string(publicKey.rawKey)
        writer.uint64(serial)
        writer.uint32(Self.userType)
        writer.string(keyID)
        var names = SSHWireWriter()
        for principal in principals { names.string(principal) }
        writer.string(names.bytes)
        writer.uint64(validAfter)
        writer.uint64(validBefore)
        writer.string(Self.encodeOptions(criticalOptions))
        writer.string(Self.encodeOptions(extensions))
        writer.string([UInt8]())  // reserved
        writer.string(ca.publicKey.wireBlob)
        var signature = SSHWireWriter()
        signature.string(SSHPublicKey.algorithm)
        signature.string(try ca.sign(writer.bytes))
        writer.string(signature.bytes)
        return SignedCertificate(certificate: self, blob: writer.bytes)
    }

    /// Options sorted by name (OpenSSH requires it); a non-empty value is itself wrapped as a `string`.
    static func encodeOptions(_ options: [String: String]) -> [UInt8] {
        var writer = SSHWireWriter()
        for (name, value) in options.sorted(by: { $0.key < $1.key }) {
            writer.string(name)
            if value.isEmpty {
                writer.string([UInt8]())
            } else {
                var inner = SSHWireWriter()
                inner.string(value)
                writer.string(inner.bytes)
            }
        }
        return writer.bytes
    }
}

/// A signed certificate: its fields and its wire encoding.
public struct SignedCertificate: Hashable, Sendable {
    /// The fields that were signed.
    public let certificate: UserCertificate
    /// The full encoding, signature included.
    public let blob: [UInt8]

    /// The `-cert.pub` file line: `ssh-ed25519-cert-v01@openssh.com BASE64 key-id`.
    public var line: String {
        "\(UserCertificate.algorithm) \(Data(blob).base64EncodedString()) \(certificate.keyID.replacingOccurrences(of: "\n", with: " "))"
    }
}
