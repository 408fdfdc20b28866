import Foundation

/// One SSH host public key of a host (`ssh-ed25519 AAAA…`), as the host published it on its
/// console at boot. Public data: it goes into a `known_hosts` file so that `ssh` talks to that host
/// and no other (`StrictHostKeyChecking=yes`).
public struct HostPublicKey: Sendable, Hashable, CustomStringConvertible {
    /// The key algorithm (`ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, …).
    public let algorithm: String
    /// The key blob (the base64 field decoded), which starts with `algorithm` as an SSH string.
    public let blob: [UInt8]

    /// The algorithms a host key may have (OpenSSH's host key types; DSA is gone from OpenSSH).
    public static let algorithms: Set<String> = [
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa",
    ]

    /// Parses `ALGORITHM BASE64 [COMMENT]`; nil unless the algorithm is a host key type and the
    /// blob decodes and names the same algorithm (so a line of console noise is never taken for a key).
    public init?(line: String) {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 2, Self.algorithms.contains(String(fields[0])),
              let data = Data(base64Encoded: String(fields[1])), data.count > 4 else { return nil }
        let bytes = [UInt8](data)
        let length = bytes[0..<4].reduce(0) { $0 << 8 | Int($1) }
        guard length == fields[0].utf8.count, bytes.count >= 4 + length,
              String(decoding: bytes[4..<(4 + length)], as: UTF8.self) == fields[0] else { return nil }
        algorithm = String(fields[0])
        blob = bytes
    }

    /// `ALGORITHM BASE64`, without the host's comment.
    public var description: String { "\(algorithm) \(Data(blob).base64EncodedString())" }

    /// The `known_hosts` line trusting this key for `host` (a name or pattern, e.g. a `HostKeyAlias`).
    public func knownHostsLine(for host: String) -> String { "\(host) \(description)" }
}

/// The host keys a host printed on its console at boot, the way cloud-init's `keys_to_console`
/// (`write-ssh-key-fingerprints`) prints them, and the way catalyze's boot configurations print
/// them explicitly (`HostLogin`):
///
///     -----BEGIN SSH HOST KEY KEYS-----
///     ecdsa-sha2-nistp256 AAAA… root@host
///     ssh-ed25519 AAAA… root@host
///     -----END SSH HOST KEY KEYS-----
///
/// Each line may carry a prefix that the console adds (e.g. `ec2: ` or `[   12.3] cloud-init[123]: `);
/// the prefix of the BEGIN line is stripped from the lines of its block. The last complete block
/// counts (a later boot that made new keys prints them again).
public enum ConsoleHostKeys {
    /// The marker cloud-init prints before the keys.
    public static let begin = "-----BEGIN SSH HOST KEY KEYS-----"
    /// The marker after them.
    public static let end = "-----END SSH HOST KEY KEYS-----"

    /// The keys of the last complete block of `console`; nil when it has no complete block with a key.
    public static func parse(_ console: String) -> [HostPublicKey]? {
        var found: [HostPublicKey]?
        var current: [HostPublicKey]?
        var prefix = ""
        for raw in console.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = String(raw)
            if let range = line.range(of: begin) {
                prefix = String(line[..<range.lowerBound])
                current = []
                continue
            }
            guard current != nil else { continue }
            let body = line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)) : line
            if body.trimmingCharacters(in: .whitespaces) == end {
                if let keys = current, !keys.isEmpty { found = keys }
                current = nil
            } else if let key = HostPublicKey(line: body.trimmingCharacters(in: .whitespaces)) {
                current?.append(key)
            }
        }
        return found
    }
}
