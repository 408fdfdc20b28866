import Crypto
import Foundation

/// An Ed25519 public key as OpenSSH writes it: `ssh-ed25519 AAAA… comment`.
public struct SSHPublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The key type name on the wire and in key files.
    public static let algorithm = "ssh-ed25519"

    /// The 32-byte Ed25519 public key.
    public let rawKey: [UInt8]
    /// The free-text comment after the key (often `user@host`); not part of the key's identity.
    public var comment: String

    /// Wraps a raw 32-byte Ed25519 key.
    public init(ed25519 rawKey: [UInt8], comment: String = "") throws {
        guard rawKey.count == 32 else { throw AccessError.keyFormat(source: "key", problem: "an Ed25519 key is 32 bytes") }
        self.rawKey = rawKey
        self.comment = comment
    }

    /// Parses one `ssh-ed25519 BASE64 [comment]` line; `source` names it in errors (a path or "--key").
    public init(authorizedKeyLine line: String, source: String) throws {
        let fields = line.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(maxSplits: 2, omittingEmptySubsequences: true, whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2 else {
            throw AccessError.keyFormat(source: source, problem: "expected `ssh-ed25519 AAAA… [comment]`")
        }
        guard fields[0] == Self.algorithm else {
            let hint = fields[0].hasSuffix("-cert-v01@openssh.com")
                ? "this is a certificate; pass the plain public key" : "only Ed25519 keys are supported (ssh-keygen -t ed25519)"
            throw AccessError.keyFormat(source: source, problem: "key type `\(fields[0])` is not accepted: \(hint)")
        }
        guard let blob = Data(base64Encoded: String(fields[1])) else {
            throw AccessError.keyFormat(source: source, problem: "the key is not valid base64")
        }
        var reader = SSHWireReader(blob)
        do {
            let type = try reader.text()
            let key = try reader.string()
            guard type == Self.algorithm, key.count == 32, reader.isAtEnd else {
                throw AccessError.keyFormat(source: source, problem: "the encoded key is not an Ed25519 public key")
            }
            self.rawKey = key
        } catch is SSHWireError {
            throw AccessError.keyFormat(source: source, problem: "the encoded key is truncated")
        }
        self.comment = fields.count > 2 ? String(fields[2]) : ""
    }

    /// The key in the SSH wire encoding: `string "ssh-ed25519"`, `string key`.
    public var wireBlob: [UInt8] {
        var writer = SSHWireWriter()
        writer.string(Self.algorithm)
        writer.string(rawKey)
        return writer.bytes
    }

    /// `ssh-ed25519 BASE64 comment`, the form of `.pub` files and `TrustedUserCAKeys`.
    public var authorizedKeyLine: String {
        let base = "\(Self.algorithm) \(Data(wireBlob).base64EncodedString())"
        return comment.isEmpty ? base : "\(base) \(comment)"
    }

    /// `SHA256:…` as printed by `ssh-keygen -l` (unpadded base64 of the blob's SHA-256).
    public var fingerprint: String {
        let digest = Data(SHA256.hash(data: wireBlob)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }

    /// The key line (public keys are not secrets).
    public var description: String { authorizedKeyLine }

    /// Keys are equal when the key bytes are; the comment does not matter.
    public static func == (lhs: SSHPublicKey, rhs: SSHPublicKey) -> Bool { lhs.rawKey == rhs.rawKey }

    /// Hashes the key bytes only.
    public func hash(into hasher: inout Hasher) { hasher.combine(rawKey) }
}
