import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// The Rackspace APIs catalyze calls, by catalog type and preferred catalog name.
enum RackspaceService: String, Sendable {
    case compute, loadBalancers, monitoring, network, blockStorage, backup

    var catalogType: String {
        switch self {
        case .compute: "compute"
        case .loadBalancers: "rax:load-balancer"
        case .monitoring: "rax:monitor"
        case .network: "network"
        case .blockStorage: "volume"
        case .backup: "rax:backup"
        }
    }

    var catalogName: String? {
        switch self {
        case .compute: "cloudServersOpenStack"
        case .loadBalancers: "cloudLoadBalancers"
        case .monitoring: "cloudMonitoring"
        case .network: "cloudNetworks"
        case .blockStorage: "cloudBlockStorage"
        case .backup: "cloudBackup"
        }
    }
}

/// One answer from a Rackspace API.
struct RackspaceReply: Sendable {
    var status: Int
    var headers: [String: String]
    var raw: Data
    var service: RackspaceService
    var action: String

    /// The body as JSON (`.null` when empty or not JSON).
    var body: JSONValue { JSONValue.parse(raw) ?? .null }

    /// True for 2xx.
    var ok: Bool { (200..<300).contains(status) }

    /// The error this reply stands for.
    func error(redacting secret: Secret? = nil) -> DriverError {
        RackspaceError.from(status: status, body: raw, service: service.rawValue, action: action, redacting: secret).driverError
    }
}

/// Sends authenticated requests to the catalog's endpoints: token reuse, one re-authentication on
/// 401, retries with jittered backoff for transient failures (5xx, 413/429 throttling, network).
struct RackspaceClient: Sendable {
    let identity: RackspaceIdentity
    let transport: HTTPTransport
    let configuration: RackspaceConfiguration
    let quota: RetryQuota
    let jitter: JitterSource

    /// Sends one request. With `retry` (idempotent calls), transient failures are retried under the
    /// retry policy; the last reply is returned whatever its status. Without it, the first reply is
    /// returned and a network failure is thrown, so the caller can look before it creates again.
    func send(
        _ service: RackspaceService, _ method: String, _ path: String, query: [URLQueryItem] = [],
        body: JSONValue? = nil, headers extra: [String: String] = [:], region: String, action: String, retry: Bool
    ) async throws -> RackspaceReply {
        var attempt = 1
        var refused: Secret?
        while true {
            let session = try await identity.session(refusing: refused)
            let base = try session.catalog.url(type: service.catalogType, name: service.catalogName, region: region)
            var request = try makeRequest(base: base, method: method, path: path, query: query, body: body, token: session.token)
            request.headers.merge(extra) { _, new in new }
            request.idempotent = retry
            let reply: RackspaceReply
            do {
                let response = try await transport.send(request)
                reply = RackspaceReply(
                    status: response.status, headers: response.headers, raw: response.body, service: service, action: action)
            } catch let error as DriverError {
                // A timed-out request is retried once at most, so a silent peer costs two timeouts.
                var attempts = configuration.retry.maxAttempts
                if case .timedOut = error { attempts = min(attempts, 2) }
                guard retry, attempt < attempts, await quota.takeRetry(timeout: true) else { throw error }
                try await pause(attempt: attempt, throttled: false)
                attempt += 1
                continue
            }
            if reply.status == 401 {
                guard refused == nil else {
                    throw DriverError.authentication("\(service.rawValue) \(action) refused a fresh token (HTTP 401)")
                }
                refused = session.token
                continue
            }
            let throttled = reply.status == 413 || reply.status == 429
            if retry, throttled || reply.status >= 500, attempt < configuration.retry.maxAttempts,
               await quota.takeRetry(timeout: false)
            {
                try await pause(attempt: attempt, throttled: throttled)
                attempt += 1
                continue
            }
            if reply.ok { await quota.recordSuccess() }
            return reply
        }
    }

    /// `send` with retries, throwing the API's error unless the status is in `expected`.
    func call(
        _ service: RackspaceService, _ method: String, _ path: String, query: [URLQueryItem] = [],
        body: JSONValue? = nil, region: String, action: String, expected: Set<Int> = [200, 201, 202, 203, 204]
    ) async throws -> RackspaceReply {
        let reply = try await send(service, method, path, query: query, body: body, region: region, action: action, retry: true)
        guard expected.contains(reply.status) else {
            if reply.status == 413 || reply.status == 429 {
                throw DriverError.throttled(service: service.rawValue, action: action, attempts: configuration.retry.maxAttempts)
            }
            throw reply.error(redacting: configuration.apiKey)
        }
        return reply
    }

    /// Waits before retry number `attempt`.
    func pause(attempt: Int, throttled: Bool) async throws {
        try await Task.sleep(for: configuration.retry.delay(attempt: attempt, throttled: throttled, jitter: jitter.draw()))
    }

    private func makeRequest(
        base: URL, method: String, path: String, query: [URLQueryItem], body: JSONValue?, token: Secret
    ) throws -> HTTPRequest {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        if !path.isEmpty { text += path.hasPrefix("/") ? path : "/" + path }
        guard var components = URLComponents(string: text) else {
            throw DriverError.malformedResponse(service: "catalog", action: path, detail: "bad endpoint URL")
        }
        if !query.isEmpty { components.queryItems = (components.queryItems ?? []) + query }
        guard let url = components.url else {
            throw DriverError.malformedResponse(service: "catalog", action: path, detail: "bad endpoint URL")
        }
        // The token goes only where it cannot be read on the way.
        try EndpointSecurity.check(url, source: "the service catalog's endpoint", allowInsecure: configuration.allowInsecureHTTP)
        var headers = ["x-auth-token": token.reveal(), "accept": "application/json"]
        if body != nil { headers["content-type"] = "application/json" }
        return HTTPRequest(method: method, url: url, headers: headers, body: body?.data ?? Data())
    }
}
