import CatalyzeAccess
import CatalyzeCore
import Crypto
import Foundation

/// The API's bearer tokens, stored hashed: each entry is a name and the SHA-256 of its token, so
/// the file (0600, replaced atomically, never through a symbolic link) grants nothing to whoever
/// reads it. A token is 32 random bytes (256 bits, so a plain SHA-256 needs no salt or stretching:
/// there is nothing to guess), shown once by `add` and never again.
///
/// The server reads the file on every request, so `add` and `revoke` take effect at once, with no
/// restart: rotating a credential is `add` a new name, move the client, `revoke` the old one.
public struct TokenFile: Sendable {
    /// One credential.
    public struct Entry: Codable, Sendable, Hashable {
        /// Who holds it (a service's name), recorded as the actor of every change it makes.
        public var name: String
        /// Hex SHA-256 of the token.
        public var sha256: String
        /// When it was made, ISO 8601 UTC.
        public var createdAt: String

        enum CodingKeys: String, CodingKey {
            case name, sha256
            case createdAt = "created_at"
        }
    }

    struct Document: Codable {
        var formatVersion = 1
        var tokens: [Entry] = []

        enum CodingKeys: String, CodingKey {
            case formatVersion = "format_version"
            case tokens
        }
    }

    /// What went wrong, naming the file or the token's name (never a token).
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case loosePermissions(path: String, mode: Int)
        case badName(String)
        case duplicate(name: String, path: String)
        case unknown(name: String, path: String)
        case unwritable(path: String, reason: String)

        public var description: String {
            switch self {
            case let .unreadable(path, reason): "\(path): not a catalyze token file (\(reason))"
            case let .loosePermissions(path, mode):
                "\(path): mode \(String(mode, radix: 8)) lets others read or change the API's credentials; chmod 600 it"
            case let .badName(name):
                "token name '\(name.prefix(40))' must be 1–64 letters, digits, '-', '_' or '.'"
            case let .duplicate(name, path): "\(path) already has a token named '\(name)'; revoke it first or pick another name"
            case let .unknown(name, path): "\(path) has no token named '\(name)'"
            case let .unwritable(path, reason): "\(path): cannot write the token file: \(reason)"
            }
        }
    }

    /// The file's path.
    public let path: String

    /// The token file at `path`.
    public init(path: String) { self.path = path }

    /// The entries; none when the file does not exist. Refuses a file others may read or write.
    public func entries() throws -> [Entry] {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return [] }
            throw Failure.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Failure.unreadable(path: path, reason: "not a regular file") }
        guard info.st_mode & 0o077 == 0 else { throw Failure.loosePermissions(path: path, mode: Int(info.st_mode & 0o777)) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure.unreadable(path: path, reason: "cannot read it")
        }
        do {
            return try JSONDecoder().decode(Document.self, from: data).tokens
        } catch {
            throw Failure.unreadable(path: path, reason: PlainWords.jsonProblem(error))
        }
    }

    /// Makes a token for `name`, stores its hash and returns the token (the only time it exists
    /// outside its holder).
    public func add(name: String, now: Date, random: any RandomSource = SystemRandomSource()) throws -> String {
        guard Self.isValidName(name) else { throw Failure.badName(name) }
        var tokens = try entries()
        guard !tokens.contains(where: { $0.name == name }) else { throw Failure.duplicate(name: name, path: path) }
        let token = "catalyze_" + random.bytes(32).map { String(format: "%02x", $0) }.joined()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        tokens.append(Entry(name: name, sha256: Self.digest(token), createdAt: formatter.string(from: now)))
        try save(tokens)
        return token
    }

    /// Removes `name`'s token: the next request with it is refused.
    public func revoke(name: String) throws {
        var tokens = try entries()
        guard tokens.contains(where: { $0.name == name }) else { throw Failure.unknown(name: name, path: path) }
        tokens.removeAll { $0.name == name }
        try save(tokens)
    }

    /// The name of the token `presented` is, or nil. Compares the presented token's hash with
    /// every entry's in constant time (no early exit on the first differing byte, nor on the first
    /// matching entry), so the answer's timing says nothing about how close a guess was.
    public func holder(of presented: String) throws -> String? {
        let presentedDigest = Array(SHA256.hash(data: Data(presented.utf8)))
        var found: String?
        for entry in try entries() {
            guard let stored = Self.bytes(hex: entry.sha256) else { continue }
            if Self.constantTimeEqual(stored, presentedDigest) && found == nil { found = entry.name }
        }
        return found
    }

    /// Hex SHA-256 of `token`.
    public static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Equal length and bytes, looking at every byte whatever it finds.
    public static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    /// 1–64 of letters, digits, `-`, `_`, `.`: it appears in audit entries and logs.
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    private func save(_ tokens: [Entry]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try AtomicFile.replace(path, with: Array(try encoder.encode(Document(tokens: tokens))) + [0x0A], mode: 0o600)
        } catch {
            throw Failure.unwritable(path: path, reason: PlainWords.fileProblem(error))
        }
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let characters = Array(hex.utf8)
        guard characters.count == 64 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: characters[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            result.append(byte)
        }
        return result
    }
}
