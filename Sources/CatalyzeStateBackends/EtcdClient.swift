import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// etcd's v3 JSON gateway (etcd 3.4 serves `/v3/…`): `kv/range`, `kv/put`, `kv/deleterange`,
/// `kv/txn`, `lease/grant`, `lease/keepalive`, `kv/lease/revoke`. Keys and values travel base64;
/// int64 fields come back as strings. Each call goes to the first member that answers, in the
/// URL's order (a member that cannot be reached costs at most the connect timeout, one that
/// accepts and never answers the request timeout).
struct EtcdClient: Sendable {
    let endpoints: [URL]
    let transport: any BlockingHTTPTransport
    let location: String

    /// One key-value as the gateway returns it.
    struct KeyValue {
        var key: String
        var value: Data
        var modRevision: Int
        var lease: String?
    }

    /// Posts `body` to `path` and returns the decoded JSON object; gateway errors (`{"error": …}`)
    /// throw `StateBackendError.unexpected`.
    func call(_ path: String, _ body: [String: Any]) throws -> [String: Any] {
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        var failures: [String] = []
        for endpoint in endpoints {
            let request = HTTPRequest(
                method: "POST", url: endpoint.appendingPathComponent(path), headers: ["content-type": "application/json"], body: data)
            let response: HTTPResponse
            do {
                response = try transport.sendBlocking(request)
            } catch let error as DriverError {
                failures.append("\(error)")
                continue
            }
            let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
            guard response.status == 200, let object, object["error"] == nil else {
                let message = (object?["message"] as? String) ?? (object?["error"] as? String) ?? response.text.prefix(200).description
                throw StateBackendError.unexpected(location: location, operation: "etcd \(path)", status: response.status, detail: message)
            }
            return object
        }
        throw StateBackendError.unreachable(location: location, detail: failures.joined(separator: "; "))
    }

    /// The value at `key`, or nil.
    func get(_ key: String) throws -> KeyValue? {
        let reply = try call("v3/kv/range", ["key": Self.b64(key)])
        return Self.keyValues(reply).first
    }

    /// Sets `key` to `value` (with `lease` when given).
    func put(_ key: String, _ value: Data, lease: String? = nil) throws {
        var body: [String: Any] = ["key": Self.b64(key), "value": value.base64EncodedString()]
        if let lease { body["lease"] = lease }
        _ = try call("v3/kv/put", body)
    }

    /// Deletes every key under `prefix` (a range `[prefix, prefix+1)`).
    func deletePrefix(_ prefix: String) throws {
        _ = try call("v3/kv/deleterange", ["key": Self.b64(prefix), "range_end": Self.b64(Self.rangeEnd(prefix))])
    }

    /// A transaction; returns whether it succeeded and its responses.
    func txn(compare: [[String: Any]], success: [[String: Any]], failure: [[String: Any]] = []) throws -> (Bool, [[String: Any]]) {
        let reply = try call("v3/kv/txn", ["compare": compare, "success": success, "failure": failure])
        return ((reply["succeeded"] as? Bool) ?? false, (reply["responses"] as? [[String: Any]]) ?? [])
    }

    /// Grants a lease of `ttl` seconds; returns its id.
    func grantLease(ttl: Int) throws -> String {
        let reply = try call("v3/lease/grant", ["TTL": "\(ttl)"])
        guard let id = reply["ID"] as? String else {
            throw StateBackendError.unexpected(location: location, operation: "etcd lease grant", status: 200, detail: "no lease id")
        }
        return id
    }

    /// Renews lease `id`; false when it no longer exists (expired or revoked).
    func keepAlive(_ id: String) throws -> Bool {
        let reply = try call("v3/lease/keepalive", ["ID": id])
        let result = reply["result"] as? [String: Any]
        return Int((result?["TTL"] as? String) ?? "0") ?? 0 > 0
    }

    /// Revokes lease `id` (its keys go with it); a lease already gone is fine.
    func revoke(_ id: String) {
        _ = try? call("v3/kv/lease/revoke", ["ID": id])
    }

    static func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    /// The key just after every key starting with `prefix` (its last byte plus one).
    static func rangeEnd(_ prefix: String) -> String {
        var bytes = Array(prefix.utf8)
        bytes[bytes.count - 1] += 1
        return String(decoding: bytes, as: UTF8.self)
    }

    static func keyValues(_ reply: [String: Any]) -> [KeyValue] {
        ((reply["kvs"] as? [[String: Any]]) ?? []).map { kv in
            KeyValue(
                key: String(decoding: Data(base64Encoded: kv["key"] as? String ?? "") ?? Data(), as: UTF8.self),
                value: Data(base64Encoded: kv["value"] as? String ?? "") ?? Data(),
                modRevision: Int(kv["mod_revision"] as? String ?? "0") ?? 0,
                lease: kv["lease"] as? String)
        }
    }

    /// A compare of `key`'s `mod_revision` with `revision` (0: the key does not exist).
    static func modRevisionIs(_ key: String, _ revision: Int) -> [String: Any] {
        ["key": b64(key), "target": "MOD", "mod_revision": "\(revision)", "result": "EQUAL"]
    }

    /// A compare of `key`'s value with `value`.
    static func valueIs(_ key: String, _ value: Data) -> [String: Any] {
        ["key": b64(key), "target": "VALUE", "value": value.base64EncodedString(), "result": "EQUAL"]
    }

    /// A compare that `key` does not exist (its `create_revision` is 0).
    static func absent(_ key: String) -> [String: Any] {
        ["key": b64(key), "target": "CREATE", "create_revision": "0", "result": "EQUAL"]
    }

    static func putOp(_ key: String, _ value: Data, lease: String? = nil) -> [String: Any] {
        var put: [String: Any] = ["key": b64(key), "value": value.base64EncodedString()]
        if let lease { put["lease"] = lease }
        return ["requestPut": put]
    }

    static func rangeOp(_ key: String) -> [String: Any] { ["requestRange": ["key": b64(key)]] }

    static func deleteOp(_ key: String) -> [String: Any] { ["requestDeleteRange": ["key": b64(key)]] }

    /// The key-values of a transaction's range response number `index`.
    static func rangeResult(_ responses: [[String: Any]], _ index: Int) -> [KeyValue] {
        guard index < responses.count, let range = responses[index]["response_range"] as? [String: Any] else { return [] }
        return keyValues(range)
    }
}
