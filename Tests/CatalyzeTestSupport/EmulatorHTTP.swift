import CatalyzeDrivers
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP reply as a test sees it.
public struct EmulatorReply: Sendable {
    /// The status code.
    public let status: Int
    /// Header fields, names lower-cased.
    public let headers: [String: String]
    /// The body bytes.
    public let body: Data

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as a JSON object (throws when it is not one).
    public func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw EmulatorHTTPError.notJSONObject(status: status, body: text)
        }
        return object
    }
}

/// Why an ``EmulatorHTTP`` call failed.
public enum EmulatorHTTPError: Error, CustomStringConvertible {
    /// The reply was no HTTP response.
    case noHTTPResponse
    /// The reply body was not a JSON object.
    case notJSONObject(status: Int, body: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .noHTTPResponse: return "the reply was not an HTTP response"
        case .notJSONObject(let status, let body): return "HTTP \(status): not a JSON object: \(body.prefix(300))"
        }
    }
}

/// Raw HTTP for tests of the peers themselves (drivers use their own transport).
public enum EmulatorHTTP {
    /// No URL cache: nothing is written under `$HOME/.cache` (see `cacheFreeConfiguration`).
    static var noCache: URLSessionConfiguration { cacheFreeConfiguration() }

    /// A session configuration that caches nothing and writes nothing to disk. (catalyze itself no
    /// longer uses URLSession — `CurlTransport` — only these test helpers do.)
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

    /// Sends one request with a fresh ephemeral `URLSession` and returns the reply.
    public static func send(
        _ method: String, _ url: URL, headers: [String: String] = [:], body: Data? = nil,
        timeout: TimeInterval = 30
    ) async throws -> EmulatorReply {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let session = URLSession(configuration: noCache)
        defer { session.finishTasksAndInvalidate() }
        let (data, response): (Data, URLResponse) = try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(throwing: error)
                } else if let response {
                    continuation.resume(returning: (data ?? Data(), response))
                } else {
                    continuation.resume(throwing: EmulatorHTTPError.noHTTPResponse)
                }
            }.resume()
        }
        guard let http = response as? HTTPURLResponse else { throw EmulatorHTTPError.noHTTPResponse }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return EmulatorReply(status: http.statusCode, headers: fields, body: data)
    }

    /// Sends `object` as a JSON body (`Content-Type: application/json`).
    public static func sendJSON(
        _ method: String, _ url: URL, _ object: Any, headers: [String: String] = [:]
    ) async throws -> EmulatorReply {
        var fields = headers
        fields["Content-Type"] = "application/json"
        fields["Accept"] = "application/json"
        let body = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return try await send(method, url, headers: fields, body: body)
    }
}
