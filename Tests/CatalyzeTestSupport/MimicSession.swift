import Foundation

/// One authenticated mimic tenant: its token and service catalog, for tests that talk to mimic raw.
public struct MimicSession: Sendable {
    /// The tenant id (also the user name; see ``Emulators/mimicAuthRequest(tenantID:)``).
    public let tenantID: String
    /// The token to send as `X-Auth-Token`.
    public let token: String
    /// Catalog entries: (service name, service type, region, public URL).
    public let endpoints: [Endpoint]

    /// One endpoint of the service catalog.
    public struct Endpoint: Sendable, Hashable {
        /// The service's name, e.g. `cloudBlockStorage`.
        public let name: String
        /// The service's type, e.g. `volume`.
        public let type: String
        /// The region, e.g. `ORD` (empty for global services).
        public let region: String
        /// The public URL.
        public let url: URL
    }

    /// Authenticates a fresh tenant (``Emulators/uniqueTenantID()`` unless given) with mimic's Identity v2.
    public static func authenticate(tenantID: String = Emulators.uniqueTenantID()) async throws -> MimicSession {
        let reply = try await EmulatorHTTP.sendJSON(
            "POST", try Emulators.mimicIdentityURL(), Emulators.mimicAuthRequest(tenantID: tenantID))
        guard reply.status == 200,
            let access = try reply.json()["access"] as? [String: Any],
            let token = (access["token"] as? [String: Any])?["id"] as? String,
            let catalog = access["serviceCatalog"] as? [[String: Any]]
        else { throw MimicSessionError.authenticationFailed(status: reply.status, body: reply.text) }
        var endpoints: [Endpoint] = []
        for service in catalog {
            guard let name = service["name"] as? String, let type = service["type"] as? String else { continue }
            for endpoint in service["endpoints"] as? [[String: Any]] ?? [] {
                guard let text = endpoint["publicURL"] as? String, let url = URL(string: text) else { continue }
                endpoints.append(Endpoint(name: name, type: type, region: endpoint["region"] as? String ?? "", url: url))
            }
        }
        return MimicSession(tenantID: tenantID, token: token, endpoints: endpoints)
    }

    /// The public URL of service `name` (and `type`, when given) in `region`.
    public func endpoint(name: String, type: String? = nil, region: String) throws -> URL {
        guard let found = endpoints.first(where: { $0.name == name && $0.region == region && (type == nil || $0.type == type) })
        else { throw MimicSessionError.noEndpoint(name: name, region: region) }
        return found.url
    }

    /// Sends a request with this session's token; `json` (if given) is the JSON body.
    public func send(_ method: String, _ url: URL, json: Any? = nil) async throws -> EmulatorReply {
        let headers = ["X-Auth-Token": token, "Accept": "application/json"]
        if let json { return try await EmulatorHTTP.sendJSON(method, url, json, headers: headers) }
        return try await EmulatorHTTP.send(method, url, headers: headers)
    }
}

/// Why a ``MimicSession`` call failed.
public enum MimicSessionError: Error, CustomStringConvertible {
    /// Identity did not issue a token.
    case authenticationFailed(status: Int, body: String)
    /// The catalog has no such endpoint.
    case noEndpoint(name: String, region: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .authenticationFailed(let status, let body): return "mimic identity answered \(status): \(body.prefix(300))"
        case .noEndpoint(let name, let region):
            return "mimic's catalog has no \(name) endpoint in \(region) (is catalyze's extension linked? run scripts/setup.sh)"
        }
    }
}
