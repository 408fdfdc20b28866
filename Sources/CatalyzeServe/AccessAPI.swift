import CatalyzeAccess
import CatalyzeManifest
import CatalyzeOperations
import Foundation
import Synchronization

/// The HTTP API of `catalyze serve`: routes, credentials, rate limits and the answers' shapes
/// (`docs/openapi.yaml`). What a pod is and how its access changes is `PodAccessProvider`'s
/// (the CLI's, through the same `ExposureSwitch` as `catalyze access expose|conceal`).
///
/// | route | method | answer |
/// |---|---|---|
/// | `/v1/health` | GET | 200, no credentials needed (says nothing about any pod) |
/// | `/v1/pods/{pod}/access` | GET | the pod's current exposure of logging and monitoring |
/// | `/v1/pods/{pod}/access/{logging,monitoring}` | PUT | sets it: `{"enabled": true, "cidrs": ["…"]}` |
///
/// Every other route needs `Authorization: Bearer TOKEN` of the token file: without a valid one,
/// 401 and an `api_denied` entry in the server's audit log (method, path, peer and why; never
/// the token); refusals count against a rate limit per client address, as requests do per token. Then the token's rate limit (429 with `Retry-After`), then the route: an unknown
/// path 404, a known path with another method 405 with `Allow`.
public final class AccessAPI: Sendable {
    /// The bearer tokens.
    public let tokens: TokenFile
    /// Each token's request rate.
    public let limiter: RateLimiter
    /// The pods.
    public let pods: any PodAccessProvider
    /// The server's own audit log (refused requests).
    public let denials: AuditLog
    /// Where each request is logged (one line: method, path, status, token name; never a token).
    public let log: @Sendable (String) -> Void
    /// `catalyze --version`.
    public let version: String
    /// The clock of audit entries.
    public let now: @Sendable () -> Date
    /// One writer at a time on the denials log.
    private let denialLock = Mutex(())

    /// Creates the API.
    public init(
        tokens: TokenFile, limiter: RateLimiter, pods: any PodAccessProvider, denials: AuditLog, version: String,
        now: @escaping @Sendable () -> Date = { Date() }, log: @escaping @Sendable (String) -> Void
    ) {
        self.tokens = tokens
        self.limiter = limiter
        self.pods = pods
        self.denials = denials
        self.version = version
        self.now = now
        self.log = log
    }

    /// Answers one request from `peer`.
    public func respond(to request: HTTPRequest, peer: String) async -> HTTPResponse {
        let (response, who) = await route(request, peer: peer)
        log("\(request.method) \(Self.printable(request.path)) \(response.status) \(who ?? "-") \(peer)")
        return response
    }

    private func route(_ request: HTTPRequest, peer: String) async -> (HTTPResponse, String?) {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        if segments == ["v1", "health"] {
            guard request.method == "GET" else { return (Self.notAllowed(["GET"]), nil) }
            return (.json(200, Health(status: "ok", version: version)), nil)
        }
        // Credentials before anything else: an unknown path or pod is not told to a stranger.
        let holder: String
        do {
            let presented = request.bearerToken
            guard let presented, let name = try tokens.holder(of: presented) else {
                // Refusals are bounded per client address like a token's requests, so a flood of
                // bad requests cannot fill the audit log: over the limit it is 429, logged, not audited.
                if case .limited(let seconds) = limiter.take("refused from " + Self.host(of: peer)) {
                    return (.error(429, "too many refused requests from this address: try again in \(seconds) s",
                                   headers: ["Retry-After": "\(seconds)"]), nil)
                }
                let reason = presented == nil ? "no bearer token" : "unknown or revoked token"
                deny(request, peer: peer, reason: reason)
                return (Self.unauthorized(
                    presented == nil
                        ? "this API needs Authorization: Bearer TOKEN (catalyze serve token add NAME)"
                        : "the bearer token is not valid (unknown or revoked)"), nil)
            }
            holder = name
        } catch {
            log("error: \(error)")
            return (.error(500, "the server cannot read its token file (see its log)"), nil)
        }
        if case .limited(let seconds) = limiter.take(holder) {
            return (.error(429, "too many requests for token '\(holder)': try again in \(seconds) s", headers: ["Retry-After": "\(seconds)"]), holder)
        }
        guard segments.count >= 4, segments[0] == "v1", segments[1] == "pods", segments[3] == "access", segments.count <= 5 else {
            return (.error(404, "no such route: \(Self.printable(request.path)) (see docs/openapi.yaml)"), holder)
        }
        let pod = segments[2]
        guard PodName.isValid(pod) else {
            return (.error(404, "no pod named '\(Self.printable(pod))': pod names are lowercase letters, digits and '-'"), holder)
        }
        do {
            if segments.count == 4 {
                guard request.method == "GET" else { return (Self.notAllowed(["GET"]), holder) }
                return (.json(200, try await pods.current(pod: pod)), holder)
            }
            guard let service = ExposureSwitch.Service(rawValue: segments[4]) else {
                return (.error(404, "no such endpoint '\(Self.printable(segments[4]))': logging or monitoring"), holder)
            }
            guard request.method == "PUT" else { return (Self.notAllowed(["PUT"]), holder) }
            let change = try AccessChange(json: request.body)
            let result = try await pods.change(
                pod: pod, service: service, enabled: change.enabled, cidrs: change.cidrs, actor: "catalyze serve token \(holder)")
            return (.json(result.complete ? 200 : 502, result), holder)
        } catch let failure as APIFailure {
            return (.error(failure.status, failure.message, field: failure.field), holder)
        } catch {
            log("error: \(error)")
            return (.error(500, "\(error)"), holder)
        }
    }

    /// Records a refused request in the server's audit log (hash-chained like a pod's).
    private func deny(_ request: HTTPRequest, peer: String, reason: String) {
        denialLock.withLock { _ in
            do {
                try denials.append(
                    kind: .apiDenied, actor: "catalyze serve",
                    details: ["method": Self.printable(request.method), "path": Self.printable(request.path), "peer": peer, "reason": reason],
                    at: now())
            } catch {
                log("error: cannot record a refused request in \(denials.path): \(error)")
            }
        }
    }

    /// The address part of `host:port` (IPv6 too), or the peer as given (`unix`).
    static func host(of peer: String) -> String {
        guard let colon = peer.lastIndex(of: ":") else { return peer }
        return String(peer[..<colon])
    }

    static func unauthorized(_ message: String) -> HTTPResponse {
        .error(401, message, headers: ["WWW-Authenticate": #"Bearer realm="catalyze""#])
    }

    static func notAllowed(_ methods: [String]) -> HTTPResponse {
        .error(405, "this route takes \(methods.joined(separator: " or ")) only", headers: ["Allow": methods.joined(separator: ", ")])
    }

    /// `text` cut to 200 characters with anything but printable ASCII shown as `?`, for logs and messages.
    static func printable(_ text: String) -> String {
        String(text.prefix(200).map { $0.isASCII && ($0.asciiValue ?? 0) >= 0x20 && $0 != "\u{7F}" ? $0 : "?" })
    }

    struct Health: Encodable {
        let status: String
        let version: String
    }
}

/// Pod names as the manifest allows them: lowercase letters, digits and `-`, 1–63 characters
/// (so a path segment can never name a folder outside the manifests folder).
public enum PodName {
    /// Whether `name` could be a pod's name.
    public static func isValid(_ name: String) -> Bool {
        (1...63).contains(name.count) && name.first != "-"
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }
}
