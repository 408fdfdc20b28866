import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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

    /// Creates a request.
    public init(method: String, url: URL, headers: [String: String] = [:], body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
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
    /// Throws `DriverError.transport` when no response arrived.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// `HTTPTransport` over FoundationNetworking's URLSession (libcurl on Linux).
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession

    /// Creates a transport with a per-request timeout.
    public init(timeout: TimeInterval = 60, maxConnectionsPerHost: Int = 16) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpMaximumConnectionsPerHost = maxConnectionsPerHost
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    /// Sends the request through URLSession.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if !request.body.isEmpty { urlRequest.httpBody = request.body }
        do {
            let (data, response) = try await session.data(for: urlRequest)
            guard let http = response as? HTTPURLResponse else {
                throw DriverError.transport(url: Self.redacted(request.url), detail: "not an HTTP response")
            }
            var headers: [String: String] = [:]
            for (key, value) in http.allHeaderFields {
                if let name = key as? String, let text = value as? String { headers[name.lowercased()] = text }
            }
            return HTTPResponse(status: http.statusCode, headers: headers, body: data)
        } catch let error as DriverError {
            throw error
        } catch {
            throw DriverError.transport(url: Self.redacted(request.url), detail: error.localizedDescription)
        }
    }

    /// The URL without its query (which may carry signatures) for error messages.
    static func redacted(_ url: URL) -> String {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        components?.query = nil
        components?.user = nil
        components?.password = nil
        return components?.string ?? url.host ?? "?"
    }
}
