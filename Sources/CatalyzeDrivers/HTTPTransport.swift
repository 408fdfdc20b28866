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
        let configuration = Self.cacheFreeConfiguration()
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpMaximumConnectionsPerHost = maxConnectionsPerHost
        session = URLSession(configuration: configuration)
    }

    /// A session configuration that caches nothing and writes nothing to disk.
    ///
    /// swift-corelibs-foundation creates `~/.cache/org.swift.foundation.URLCache/<program>` whenever
    /// a `URLCache` is made without a disk path: `URLSessionConfiguration.default` makes the shared
    /// one, and `.ephemeral` a fresh one each time, so setting `urlCache = nil` afterwards is too
    /// late. The shared cache is replaced first by one whose disk path cannot exist (below
    /// `/dev/null`, so it keeps no disk folder), and the configuration starts from `.default`.
    public static func cacheFreeConfiguration() -> URLSessionConfiguration {
        _ = diskFreeSharedCache
        let configuration = URLSessionConfiguration.default
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        configuration.urlCredentialStorage = nil
        return configuration
    }

    private static let diskFreeSharedCache: Void = {
        URLCache.shared = URLCache(memoryCapacity: 0, diskCapacity: 0, diskPath: "/dev/null/catalyze-no-cache")
    }()

    deinit { session.finishTasksAndInvalidate() }

    /// Sends the request through URLSession.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if !request.body.isEmpty { urlRequest.httpBody = request.body }
        let url = Self.redacted(request.url)
        let pending = PendingRequest()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, Error>) in
                let task = session.dataTask(with: urlRequest) { data, response, error in
                    pending.finish(Self.result(data, response, error, url: url))
                }
                pending.start(task, continuation)
                task.resume()
                // The session's own timeout covers a silent peer; this watchdog covers a completion
                // that never comes (so no run can wait forever on one request).
                let limit = watchdog
                DispatchQueue.global().asyncAfter(deadline: .now() + limit) {
                    pending.finish(.failure(DriverError.transport(url: url, detail: "no answer within \(Int(limit))s")))
                }
            }
        } onCancel: {
            pending.finish(.failure(CancellationError()))
        }
    }

    /// How long a request may take before it fails as a transport error, whatever URLSession does.
    private var watchdog: TimeInterval { session.configuration.timeoutIntervalForRequest + 5 }

    private static func result(_ data: Data?, _ response: URLResponse?, _ error: Error?, url: String) -> Result<HTTPResponse, Error> {
        if let error { return .failure(DriverError.transport(url: url, detail: error.localizedDescription)) }
        guard let http = response as? HTTPURLResponse else {
            return .failure(DriverError.transport(url: url, detail: "not an HTTP response"))
        }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let name = key as? String, let text = value as? String { headers[name.lowercased()] = text }
        }
        return .success(HTTPResponse(status: http.statusCode, headers: headers, body: data ?? Data()))
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

/// One request in flight: resumed exactly once, by its completion, the watchdog or cancellation
/// (the latter two also cancel the URLSession task).
private final class PendingRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<HTTPResponse, Error>?
    private var task: URLSessionDataTask?
    private var early: Result<HTTPResponse, Error>?

    func start(_ task: URLSessionDataTask, _ continuation: CheckedContinuation<HTTPResponse, Error>) {
        lock.lock()
        if let early {
            lock.unlock()
            task.cancel()
            continuation.resume(with: early)
            return
        }
        self.task = task
        self.continuation = continuation
        lock.unlock()
    }

    func finish(_ result: Result<HTTPResponse, Error>) {
        lock.lock()
        guard let continuation else {
            if task == nil && early == nil { early = result }  // cancelled before it started
            lock.unlock()
            return
        }
        self.continuation = nil
        let task = self.task
        lock.unlock()
        if case .failure = result { task?.cancel() }
        continuation.resume(with: result)
    }
}
