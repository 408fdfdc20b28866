import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// Identity v2 with Rackspace API-key credentials: one token, reused until it nears expiry or a
/// service answers 401; concurrent callers share one authentication.
actor RackspaceIdentity {
    /// A token with the catalog that came with it.
    struct Session: Sendable {
        /// The `X-Auth-Token` value.
        var token: Secret
        /// The tenant the token is scoped to.
        var tenantID: String
        /// Where each service lives.
        var catalog: ServiceCatalog
        /// When the token stops working (nil when Identity did not say).
        var expires: Date?
        /// Made because a service refused the token before it: if this one is refused too, the
        /// credentials (or the account) are at fault, and authenticating again would only loop.
        var replacesRefused = false
        /// When it was issued (by the configuration's clock).
        var issued = Date.distantPast
    }

    private let configuration: RackspaceConfiguration
    private let transport: HTTPTransport
    private var current: Session?
    private var pending: Task<Session, Error>?
    /// Authentications made so far (for tests of token reuse).
    private(set) var authentications = 0

    init(configuration: RackspaceConfiguration, transport: HTTPTransport) {
        self.configuration = configuration
        self.transport = transport
    }

    /// A valid session, authenticating when there is none, it nears expiry, or `stale` is the
    /// token that a service just refused.
    func session(refusing stale: Secret? = nil) async throws -> Session {
        if let session = current {
            let expired = session.expires.map { $0.timeIntervalSince(configuration.clock.now()) < 60 } ?? false
            if !expired, stale == nil || stale != session.token { return session }
            if !expired, session.replacesRefused, configuration.clock.now().timeIntervalSince(session.issued) < 60 {
                // Concurrent calls: one saw the old token refused and authenticated; another, sent
                // with the new token, is refused too. That is the answer, not a reason for a third
                // (a replacement refused a minute or more later has expired or been revoked: renewed).
                throw DriverError.authentication("Rackspace services refused a token Identity had just issued (HTTP 401)")
            }
            current = nil
        }
        if let pending { return try await pending.value }
        let task = Task { [replacing = stale != nil] in
            var session = try await self.authenticate()
            session.replacesRefused = replacing
            session.issued = self.configuration.clock.now()
            return session
        }
        pending = task
        defer { pending = nil }
        let session = try await task.value
        current = session
        return session
    }

    private func authenticate() async throws -> Session {
        authentications += 1
        var auth: JSONValue = [
            "RAX-KSKEY:apiKeyCredentials": [
                "username": .string(configuration.username), "apiKey": .string(configuration.apiKey.reveal()),
            ]
        ]
        if let tenant = configuration.tenantID, case .object(var members) = auth {
            members["tenantId"] = .string(tenant)
            auth = .object(members)
        }
        let body: JSONValue = ["auth": auth]
        let url = configuration.authURL.appendingPathComponent("tokens")
        let request = HTTPRequest(
            method: "POST", url: url, headers: ["content-type": "application/json", "accept": "application/json"],
            body: body.data)
        let response = try await transport.send(request)
        let document = JSONValue.parse(response.body) ?? .null
        guard response.status == 200 || response.status == 203 else {
            let error = RackspaceError.from(
                status: response.status, body: response.body, service: "identity", action: "tokens",
                redacting: configuration.apiKey)
            if response.status == 401 || response.status == 403 {
                throw DriverError.authentication(
                    "Rackspace Identity refused user \(configuration.username): \(error.code) (HTTP \(response.status))")
            }
            throw error.driverError
        }
        let access = document["access"]
        guard let token = access["token"]["id"].string, !token.isEmpty else {
            throw DriverError.malformedResponse(service: "identity", action: "tokens", detail: "no access.token.id")
        }
        let tenant = access["token"]["tenant"]["id"].string ?? configuration.tenantID ?? ""
        return Session(
            token: Secret(token), tenantID: tenant, catalog: ServiceCatalog(access: access),
            expires: access["token"]["expires"].string.flatMap(Self.parseDate))
    }

    private static func parseDate(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = withFraction.date(from: text) { return date }
        return ISO8601DateFormatter().date(from: text)
    }
}
