import Foundation

/// Who asks for the state lock — and, once granted, who holds it (written beside the lockfile).
public struct LockRequest: Codable, Sendable, Hashable {
    /// A unique id for this lock (a UUID string); `catalyze force-unlock ID` names it.
    public var id: String
    /// The process id of the holder.
    public var pid: Int32
    /// The host name the holder runs on.
    public var host: String
    /// The user name the holder runs as.
    public var user: String
    /// The command line (or operation) holding the lock, e.g. `catalyze apply`.
    public var command: String
    /// When the lock was asked for, to the millisecond.
    public var createdAt: Date

    /// Creates a request; `createdAt` is rounded to the millisecond.
    public init(id: String, pid: Int32, host: String, user: String, command: String, createdAt: Date) {
        self.id = id
        self.pid = pid
        self.host = host
        self.user = user
        self.command = command
        self.createdAt = Timestamp.normalized(createdAt)
    }

    /// One line naming the holder: `lock 1234… held by ann@box (pid 42, catalyze apply) since …`.
    public var summary: String {
        "lock \(id) held by \(user)@\(host) (pid \(pid), `\(command)`) since \(Timestamp.format(createdAt))"
    }

    enum CodingKeys: String, CodingKey {
        case id, pid, host, user, command
        case createdAt = "created_at"
    }

    /// Decodes holder info (`created_at` is an RFC 3339 UTC timestamp).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .createdAt)
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .createdAt, in: container, debugDescription: "not a timestamp: '\(text)'")
        }
        self.init(
            id: try container.decode(String.self, forKey: .id), pid: try container.decode(Int32.self, forKey: .pid),
            host: try container.decode(String.self, forKey: .host), user: try container.decode(String.self, forKey: .user),
            command: try container.decode(String.self, forKey: .command), createdAt: date)
    }

    /// Encodes holder info.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(pid, forKey: .pid)
        try container.encode(host, forKey: .host)
        try container.encode(user, forKey: .user)
        try container.encode(command, forKey: .command)
        try container.encode(Timestamp.format(createdAt), forKey: .createdAt)
    }
}
