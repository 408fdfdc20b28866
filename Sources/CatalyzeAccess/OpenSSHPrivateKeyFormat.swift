import Foundation

/// Reads and writes the unencrypted OpenSSH private key format (`-----BEGIN OPENSSH PRIVATE KEY-----`),
/// so `ssh-keygen -y -f` can read the CA key that `access ca init` writes. See OpenSSH's PROTOCOL.key.
public enum OpenSSHPrivateKeyFormat {
    static let begin = "-----BEGIN OPENSSH PRIVATE KEY-----"
    static let end = "-----END OPENSSH PRIVATE KEY-----"
    static let magic = Array("openssh-key-v1".utf8) + [0]

    /// The PEM-armoured text of `key`; `random` supplies the section's check integer.
    public static func encode(_ key: CertificateAuthorityKey, using random: some RandomSource) -> String {
        let check = UInt32(truncatingIfNeeded: random.uint64())
        var secret = SSHWireWriter()
        secret.uint32(check)
        secret.uint32(check)
        secret.string(SSHPublicKey.algorithm)
        secret.string(key.publicKey.rawKey)
        secret.string(Array(key.signingKey.rawRepresentation) + key.publicKey.rawKey)
        secret.string(key.publicKey.comment)
        var pad: UInt8 = 1
        while secret.bytes.count % 8 != 0 {
            secret.byte(pad)
            pad += 1
        }
        var outer = SSHWireWriter()
        outer.raw(magic)
        outer.string("none")  // cipher
        outer.string("none")  // kdf
        outer.string([UInt8]())  // kdf options
        outer.uint32(1)
        outer.string(key.publicKey.wireBlob)
        outer.string(secret.bytes)
        let body = Data(outer.bytes).base64EncodedString()
        var lines = [begin]
        var rest = Substring(body)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(70)))
            rest = rest.dropFirst(70)
        }
        lines.append(end)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses the text of an unencrypted Ed25519 OpenSSH private key; `source` names it in errors.
    public static func decode(_ text: String, source: String) throws -> CertificateAuthorityKey {
        func fail(_ problem: String) -> AccessError { .keyFormat(source: source, problem: problem) }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = lines.firstIndex(of: begin), let last = lines.lastIndex(of: end), first < last else {
            throw fail("not an OpenSSH private key (no `\(begin)` block)")
        }
        guard let data = Data(base64Encoded: lines[(first + 1)..<last].joined()) else {
            throw fail("the key block is not valid base64")
        }
        var reader = SSHWireReader(data)
        do {
            guard try reader.take(magic.count) == magic else { throw fail("not an openssh-key-v1 key") }
            let cipher = try reader.text()
            _ = try reader.text()
            _ = try reader.string()
            guard cipher == "none" else {
                throw fail("the key is encrypted (cipher \(cipher)); catalyze reads unencrypted CA keys only")
            }
            guard try reader.uint32() == 1 else { throw fail("the file holds more than one key") }
            let publicBlob = try reader.string()
            var secret = SSHWireReader(try reader.string())
            guard try secret.uint32() == secret.uint32() else { throw fail("check integers differ (corrupt key)") }
            guard try secret.text() == SSHPublicKey.algorithm else { throw fail("not an Ed25519 key") }
            let publicKey = try secret.string()
            let privateKey = try secret.string()
            let comment = try secret.text()
            guard publicKey.count == 32, privateKey.count == 64, Array(privateKey[32...]) == publicKey else {
                throw fail("malformed Ed25519 key material")
            }
            let key = try CertificateAuthorityKey(seed: Array(privateKey[..<32]), comment: comment)
            guard key.publicKey.rawKey == publicKey, key.publicKey.wireBlob == publicBlob else {
                throw fail("the private half does not match the public half")
            }
            return key
        } catch is SSHWireError {
            throw fail("the key data is truncated")
        }
    }
}
