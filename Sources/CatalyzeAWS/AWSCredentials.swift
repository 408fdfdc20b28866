import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// An AWS access key pair (and session token). The secret parts stay wrapped in `Secret`.
public struct AWSCredentials: Sendable {
    /// The access key id (not secret; it appears in every signed request).
    public var accessKeyID: String
    /// The secret access key; only `SigV4Signer` reveals it.
    public var secretAccessKey: Secret
    /// The session token of temporary credentials.
    public var sessionToken: Secret?

    /// Creates credentials.
    public init(accessKeyID: String, secretAccessKey: Secret, sessionToken: Secret? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// Credentials from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, else from the
    /// shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default `$HOME/.aws/credentials`),
    /// section `AWS_PROFILE` (default `default`). `readFile` returns a file's text or nil.
    /// Errors name the variables, file and profile — never a value.
    public static func resolve(
        _ env: [String: String], readFile: (String) -> String? = { try? String(contentsOfFile: $0, encoding: .utf8) }
    ) throws -> AWSCredentials {
        let id = env["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = env["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        if let id, let secret {
            return AWSCredentials(
                accessKeyID: id, secretAccessKey: Secret(secret),
                sessionToken: env["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : Secret($0) })
        }
        if (id == nil) != (secret == nil) {
            throw DriverError.authentication(
                id == nil ? "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is missing"
                    : "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is missing")
        }
        let profile = env["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let path = env["AWS_SHARED_CREDENTIALS_FILE"] ?? env["HOME"].map { "\($0)/.aws/credentials" }
        guard let path, let text = readFile(path) else {
            throw DriverError.authentication(
                "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with a shared credentials file (\(path ?? "~/.aws/credentials") not readable)"
            )
        }
        guard let section = parseINI(text)[profile] else {
            throw DriverError.authentication("profile '\(profile)' not found in \(path)")
        }
        guard let fileID = section["aws_access_key_id"], let fileSecret = section["aws_secret_access_key"] else {
            throw DriverError.authentication(
                "profile '\(profile)' in \(path) lacks aws_access_key_id or aws_secret_access_key")
        }
        return AWSCredentials(
            accessKeyID: fileID, secretAccessKey: Secret(fileSecret),
            sessionToken: section["aws_session_token"].map(Secret.init))
    }

    /// Parses an INI file into sections of key/value pairs (`[name]`, `key = value`, `#`/`;` comments).
    static func parseINI(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                var name = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                if name.hasPrefix("profile ") { name = String(name.dropFirst(8)) }
                current = name
                sections[name, default: [:]] = sections[name, default: [:]]
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[current]![key] = value
        }
        return sections
    }
}
