import Foundation

/// Where the test peers (moto server for AWS, mimic for Rackspace) listen, and how tests keep apart.
///
/// Endpoints come from the environment (`CATALYZE_MOTO_URL`, `CATALYZE_MIMIC_URL`, set by
/// `scripts/test.sh`), or else from `<repository>/.emulators.env`, which `scripts/emulators.sh start`
/// writes.
///
/// Isolation: tests run in parallel against one moto and one mimic, and neither is ever reset.
/// - moto: send a fresh `x-moto-account-id` header (``motoAccountHeader``, value from
///   ``uniqueAccountID()``) on every request of a test, or use a region no other test uses.
/// - mimic: authenticate with a fresh tenant id (``uniqueTenantID()``) AND a fresh user name (mimic
///   binds a user name to the first tenant it authenticated with, and answers 401 for any other);
///   ``mimicAuthRequest(tenantID:)`` uses the tenant id as the user name. mimic keeps every tenant's
///   servers, volumes and networks apart.
public enum Emulators {
    /// The environment variable naming moto's base URL.
    public static let motoVariable = "CATALYZE_MOTO_URL"
    /// The environment variable naming mimic's base URL.
    public static let mimicVariable = "CATALYZE_MIMIC_URL"
    /// The header that selects the AWS account moto serves a request for (12 digits).
    public static let motoAccountHeader = "x-moto-account-id"

    /// moto server's base URL: every AWS service answers here (routed by the SigV4 credential scope).
    public static func motoURL() throws -> URL {
        try url(for: motoVariable)
    }

    /// mimic's base URL; Identity v2 is at ``mimicIdentityURL()``.
    public static func mimicURL() throws -> URL {
        try url(for: mimicVariable)
    }

    /// mimic's Identity v2 token endpoint: `<mimic>/identity/v2.0/tokens`.
    public static func mimicIdentityURL() throws -> URL {
        try mimicURL().appendingPathComponent("identity/v2.0/tokens")
    }

    /// A random 12-digit AWS account id for one test's moto requests (never moto's default one).
    public static func uniqueAccountID() -> String {
        String(UInt64.random(in: 200_000_000_000...999_999_999_999))
    }

    /// A fresh mimic tenant id for one test, e.g. `catalyze-test-3f9a0c1d2e4b`.
    public static func uniqueTenantID() -> String {
        let hex = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return "catalyze-test-\(hex.prefix(12))"
    }

    /// The Identity v2 request body (`RAX-KSKEY:apiKeyCredentials`) for `tenantID`, with the tenant
    /// id as user name; mimic accepts any API key.
    public static func mimicAuthRequest(tenantID: String) -> [String: Any] {
        [
            "auth": [
                "RAX-KSKEY:apiKeyCredentials": ["username": tenantID, "apiKey": "mimic-accepts-any-key"],
                "tenantId": tenantID,
            ]
        ]
    }

    /// The env file that `scripts/emulators.sh start` writes by default.
    public static var environmentFile: URL {
        repositoryRoot.appendingPathComponent(".emulators.env")
    }

    /// Reads `name` from the process environment, else from ``environmentFile``.
    static func url(for name: String) throws -> URL {
        let text: String
        if let value = ProcessInfo.processInfo.environment[name], !value.isEmpty {
            text = value
        } else if let value = try valueInEnvironmentFile(name) {
            text = value
        } else {
            throw EmulatorsError.notStarted(variable: name)
        }
        guard let url = URL(string: text), url.scheme != nil, url.host != nil else {
            throw EmulatorsError.badURL(variable: name, value: text)
        }
        return url
    }

    /// The value of `export NAME=VALUE` (or `NAME=VALUE`) in ``environmentFile``, if it is there.
    static func valueInEnvironmentFile(_ name: String) throws -> String? {
        guard let data = FileManager.default.contents(atPath: environmentFile.path) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("export ") { line = String(line.dropFirst("export ".count)) }
            guard let equals = line.firstIndex(of: "="), line[..<equals] == name else { continue }
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }
        return nil
    }
}

/// Why ``Emulators`` cannot name an endpoint.
public enum EmulatorsError: Error, Hashable, CustomStringConvertible {
    /// Neither the environment nor `.emulators.env` names the endpoint.
    case notStarted(variable: String)
    /// The endpoint is not an absolute URL.
    case badURL(variable: String, value: String)

    /// The message shown when a test fails because of this error.
    public var description: String {
        switch self {
        case .notStarted(let variable):
            return "\(variable) is not set and \(Emulators.environmentFile.path) names no such endpoint: "
                + "start the emulators: scripts/emulators.sh start (or run scripts/test.sh)"
        case .badURL(let variable, let value):
            return "\(variable)=\(value) is not an absolute http URL: "
                + "restart the emulators: scripts/emulators.sh stop; scripts/emulators.sh start"
        }
    }
}
