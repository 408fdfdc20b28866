import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// The REST-JSON protocol (AWS Backup): the action is the HTTP method and path, parameters travel in
/// the path, the query string and a JSON body, and the reply is a JSON object. Signed, rate-limited
/// and retried exactly like the Query and JSON 1.1 calls (`send`).
extension AWSClient {
    /// Calls a REST-JSON action: `method` on `path` (its labels already encoded with
    /// `AWSClient.label`), with `query` parameters and an optional JSON `payload`; returns the decoded
    /// object (empty for an empty reply). `action` names the call in errors and rate-limit buckets.
    public func rest(
        _ service: AWSService, _ action: String, method: String, path: String, query: [String: String] = [:],
        region: String, _ payload: [String: Any]? = nil, idempotent: Bool = true
    ) async throws -> [String: Any] {
        var headers: [String: String] = [:]
        var body = Data()
        if let payload {
            body = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
            headers["content-type"] = "application/json"
        }
        let queryText = query.keys.sorted().map { "\(SigV4Signer.uriEncode($0))=\(SigV4Signer.uriEncode(query[$0]!))" }
            .joined(separator: "&")
        let response = try await send(
            service, action, region: region, headers: headers, body: body, idempotent: idempotent, method: method,
            path: path, query: queryText)
        guard !response.body.isEmpty else { return [:] }
        return (try? JSONSerialization.jsonObject(with: response.body, options: [.fragmentsAllowed])) as? [String: Any] ?? [:]
    }

    /// One path label (an id or a name) encoded for a REST path: everything but `A-Za-z0-9-._~` as `%XX`.
    public static func label(_ text: String) -> String { SigV4Signer.uriEncode(text) }

    /// `base` (an endpoint, with or without a trailing slash) with `path` and `query` appended.
    static func resolve(_ base: URL, path: String, query: String) -> URL {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        text += path.hasPrefix("/") ? path : "/" + path
        if !query.isEmpty { text += "?" + query }
        return URL(string: text) ?? base
    }
}
