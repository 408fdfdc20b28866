import CatalyzeDrivers
import Foundation

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

/// Raw HTTP for tests of the peers themselves, over the same libcurl transport catalyze uses
/// (`CurlTransport`). URLSession is not used here either: on Linux it spins while it awaits an
/// answer, and a few dozen of those waiting at once on a 2-core CI machine starved the peers
/// until requests timed out (NSURLErrorDomain -1001) in unrelated tests.
public enum EmulatorHTTP {
    /// One transport per request timeout (handles and their connections are pooled inside).
    private static let transports = Mutex<[TimeInterval: CurlTransport]>([:])

    private static func transport(timeout: TimeInterval) -> CurlTransport {
        transports.withLock { cache in
            if let made = cache[timeout] { return made }
            let made = CurlTransport(timeouts: NetworkTimeouts(connect: min(10, timeout), request: timeout))
            cache[timeout] = made
            return made
        }
    }

    /// Sends one request and returns the reply (a reset connection or a timeout throws).
    public static func send(
        _ method: String, _ url: URL, headers: [String: String] = [:], body: Data? = nil,
        timeout: TimeInterval = 30
    ) async throws -> EmulatorReply {
        let response = try await transport(timeout: timeout).send(
            HTTPRequest(method: method, url: url, headers: headers, body: body ?? Data(), idempotent: false))
        var fields: [String: String] = [:]
        for (name, value) in response.headers { fields[name.lowercased()] = value }
        return EmulatorReply(status: response.status, headers: fields, body: response.body)
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
