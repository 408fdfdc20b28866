import Foundation

/// One HTTP request, as a driver builds it.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, `PUT`, `DELETE`, …
    public var method: String
    /// The full URL.
    public var url: URL
    /// Header fields (names case-insensitive; drivers use lowercase).
    public var headers: [String: String]
    /// The body (empty for none).
    public var body: Data
    /// False for a call that must not be sent twice (a create without an idempotency token): the
    /// transport then sends it on a connection of its own, because libcurl silently sends a
    /// request again when a reused keep-alive connection closes before any answer, which is also
    /// what a peer that took the call and then dropped the line looks like.
    public var idempotent: Bool

    /// Creates a request.
    public init(method: String, url: URL, headers: [String: String] = [:], body: Data = Data(), idempotent: Bool = true) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.idempotent = idempotent
    }
}

/// One HTTP response.
public struct HTTPResponse: Sendable {
    /// Status code.
    public var status: Int
    /// Header fields with lowercase names.
    public var headers: [String: String]
    /// The body.
    public var body: Data

    /// Creates a response.
    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text (lossy).
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Sends HTTP requests. Drivers take one, so tests and benchmarks can count, delay or proxy calls.
public protocol HTTPTransport: Sendable {
    /// Sends one request and returns the response, whatever its status.
    /// Throws `DriverError.transport` when no response arrived, `DriverError.timedOut` when none
    /// arrived in time (`CurlTransport`).
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// Sends HTTP requests on the calling thread, blocking it until the answer (or a timeout).
///
/// For the state stores, whose API is synchronous (`StateStore`): a save blocks its writer the
/// way a local fsync does, with no async bridging (no task waits on a semaphore for another task).
public protocol BlockingHTTPTransport: Sendable {
    /// Sends one request and returns the response, whatever its status; throws like `HTTPTransport.send`.
    func sendBlocking(_ request: HTTPRequest) throws -> HTTPResponse
}

extension HTTPRequest {
    /// The URL without its query (which may carry signatures) or user info, for error messages.
    public static func redacted(_ url: URL) -> String {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        components?.query = nil
        components?.user = nil
        components?.password = nil
        return components?.string ?? url.host ?? "?"
    }
}
