import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// The S3 calls the state store makes (GetObject, PutObject, DeleteObject, GetBucketVersioning,
/// GetBucketEncryption), SigV4-signed with the AWS driver's signer and credential chain, sent on
/// the calling thread. Path-style URLs on `AWS_ENDPOINT_URL` (an emulator or S3-compatible store),
/// virtual-hosted ones on AWS.
struct S3Client: Sendable {
    let bucket: String
    let region: String
    let endpoint: URL?
    let extraHeaders: [String: String]
    let credentials: S3Credentials
    let transport: any BlockingHTTPTransport
    let clock: WallClock

    /// One answer, with the headers the store reads.
    struct Reply {
        var status: Int
        var body: Data
        var etag: String?
        /// The server's `Date` and the object's `Last-Modified` (the lock lease's clock).
        var date: Date?
        var lastModified: Date?
        var code: String
    }

    func url(key: String, query: String? = nil) -> URL {
        let suffix = query.map { "?\($0)" } ?? ""
        if let endpoint {
            var base = endpoint.absoluteString
            while base.hasSuffix("/") { base.removeLast() }
            return URL(string: "\(base)/\(bucket)/\(key)\(suffix)")!
        }
        if bucket.contains(".") { return URL(string: "https://s3.\(region).amazonaws.com/\(bucket)/\(key)\(suffix)")! }
        return URL(string: "https://\(bucket).s3.\(region).amazonaws.com/\(key)\(suffix)")!
    }

    /// Sends one request; a transport failure (no answer) is `StateBackendError.unreachable`.
    func send(_ method: String, key: String, query: String? = nil, headers: [String: String] = [:], body: Data = Data(),
              location: String) throws -> Reply {
        var request = HTTPRequest(method: method, url: url(key: key, query: query), headers: headers, body: body)
        let signer = SigV4Signer(credentials: try credentials.current())
        request = signer.sign(request, region: region, service: "s3", date: clock.now(), signBodyHash: true)
        for (name, value) in extraHeaders { request.headers[name] = value }
        let response: HTTPResponse
        do {
            response = try transport.sendBlocking(request)
        } catch let error as DriverError {
            throw StateBackendError.unreachable(location: location, detail: "\(error)")
        }
        return Reply(
            status: response.status, body: response.body, etag: response.headers["etag"],
            date: response.headers["date"].flatMap(Self.httpDate), lastModified: response.headers["last-modified"].flatMap(Self.httpDate),
            code: Self.errorCode(response.body))
    }

    /// A compare-and-swap PUT of `key`: `If-Match` on `expected` (an ETag), or `If-None-Match: *`
    /// when there is none yet. The new ETag, or nil when another writer got there first.
    func conditionalPut(key: String, body: Data, expected: String?, location: String, operation: String) throws -> String? {
        var headers = ["content-type": "application/json"]
        if let expected { headers["if-match"] = expected } else { headers["if-none-match"] = "*" }
        let reply = try send("PUT", key: key, headers: headers, body: body, location: location)
        switch reply.status {
        case 200:
            guard let etag = reply.etag else {
                throw StateBackendError.unexpected(location: location, operation: operation, status: 200, detail: "no ETag in the answer")
            }
            return etag
        // 412: the condition failed; 409 ConditionalRequestConflict: a conflicting write landed
        // mid-request; 404 NoSuchKey: If-Match on an object deleted since.
        case 412, 409, 404: return nil
        default:
            throw StateBackendError.unexpected(location: location, operation: operation, status: reply.status, detail: reply.code)
        }
    }

    /// The `<Code>` of an S3 error document ("" when none).
    static func errorCode(_ body: Data) -> String {
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        guard let start = text.range(of: "<Code>"), let end = text.range(of: "</Code>", range: start.upperBound..<text.endIndex)
        else { return "" }
        return String(text[start.upperBound..<end.lowerBound])
    }

    /// RFC 7231 IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    /// What the bucket lacks of versioning and default KMS encryption (empty: both on).
    func securityGaps(location: String) throws -> [String] {
        var missing: [String] = []
        let versioning = try send("GET", key: "", query: "versioning", location: location)
        guard versioning.status == 200 else {
            throw StateBackendError.unexpected(
                location: location, operation: "GetBucketVersioning", status: versioning.status,
                detail: versioning.code.isEmpty ? "no such bucket?" : versioning.code)
        }
        if !String(decoding: versioning.body, as: UTF8.self).contains("<Status>Enabled</Status>") {
            missing.append("versioning")
        }
        let encryption = try send("GET", key: "", query: "encryption", location: location)
        let text = String(decoding: encryption.body, as: UTF8.self)
        if encryption.status != 200 || !text.contains("aws:kms") {
            missing.append("default KMS encryption")
        }
        return missing
    }
}

/// The credentials S3 requests are signed with, on the calling thread.
public struct S3Credentials: Sendable {
    let current: @Sendable () throws -> AWSCredentials

    /// Fixed keys (the environment's, a profile's).
    public static func fixed(_ credentials: AWSCredentials) -> S3Credentials { S3Credentials { credentials } }

    /// The AWS driver's chain: keys as they are; STS's temporary credentials (a role, a web
    /// identity) fetched at first use and renewed before they expire. Only that STS call is
    /// asynchronous; it runs in a task of its own while the caller's thread waits for it.
    public static func chain(_ provider: AWSCredentialProvider) -> S3Credentials {
        if case .keys(let keys) = provider.source { return .fixed(keys) }
        return S3Credentials {
            let result = Shared<Result<AWSCredentials, Error>?>(nil)
            let done = DispatchSemaphore(value: 0)
            Task.detached {
                let fetched: Result<AWSCredentials, Error>
                do { fetched = .success(try await provider.credentials()) } catch { fetched = .failure(error) }
                result.value = fetched
                done.signal()
            }
            done.wait()
            return try result.value!.get()
        }
    }
}
