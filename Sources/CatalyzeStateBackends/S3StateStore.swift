import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeState
import Foundation
import Synchronization

/// A pod's lockfile in S3 (`s3://BUCKET/PREFIX`): `PREFIX/<pod>/catalyze.lock.json`, with its lock
/// beside it (`….lock`). Same lockfile format, lineage and serial as the file store.
///
/// Every save is a compare-and-swap: `If-Match` on the ETag the writer last saw, `If-None-Match: *`
/// for the first write, so a writer that loses a race gets 412 and fails naming the winner's
/// serial. The lock is an object written with `If-None-Match: *`, renewed (rewritten with
/// `If-Match`) every third of its lease; it expires when the server's `Date` is a lease past its
/// `Last-Modified`, so a killed holder's lock frees itself, timed by the server's clock alone.
///
/// The bucket must have versioning and default KMS encryption (`checkBucket`): checked at the
/// first request, refused (or, under `.warn`, reported through the callback).
public struct S3StateStore: StateStore {
    /// What to do with a bucket that lacks versioning or default KMS encryption.
    public enum BucketPolicy: Sendable {
        /// Refuse to use it (`StateBackendError.insecureBucket`).
        case refuse
        /// Use it, passing the warning text to the callback once (a `dev` manifest).
        case warn(@Sendable (String) -> Void)
    }

    let client: S3Client
    let key: String
    let lease: LeasePolicy
    let bucketPolicy: BucketPolicy
    private let cas: CASState
    private let bucketChecked = BucketCheck()

    /// A store for `pod` under `s3://bucket/prefix`.
    public init(
        bucket: String, prefix: String, pod: String, region: String, endpoint: URL?, credentials: S3Credentials,
        transport: any BlockingHTTPTransport, extraHeaders: [String: String] = [:], clock: WallClock = SystemClock(),
        lease: LeasePolicy = .standard, bucketPolicy: BucketPolicy = .refuse
    ) {
        client = S3Client(
            bucket: bucket, region: region, endpoint: endpoint, extraHeaders: extraHeaders, credentials: credentials,
            transport: transport, clock: clock)
        key = (prefix.isEmpty ? "" : prefix + "/") + pod + "/catalyze.lock.json"
        self.lease = lease
        self.bucketPolicy = bucketPolicy
        cas = CASState(blob: S3Blob(client: client, key: key, location: "s3://\(bucket)/\(key)"))
    }

    /// `s3://BUCKET/PREFIX/<pod>/catalyze.lock.json`: how errors name this state.
    public var location: String { "s3://\(client.bucket)/\(key)" }
    var lockKey: String { key + ".lock" }

    /// Reads the lockfile; nil when there is none.
    public func load() throws -> Lockfile? {
        try checkBucket()
        return try cas.load()
    }

    /// Writes `lockfile` with `serial + 1` if no one wrote since it was loaded (`If-Match`).
    public func save(_ lockfile: Lockfile) throws -> Lockfile {
        try checkBucket()
        return try cas.save(lockfile)
    }

    /// Refuses (or warns about) a bucket without versioning and default KMS encryption, once per store.
    public func checkBucket() throws {
        guard !bucketChecked.done else { return }
        let missing = try client.securityGaps(location: location)
        if !missing.isEmpty {
            let error = StateBackendError.insecureBucket(bucket: client.bucket, missing: missing)
            switch bucketPolicy {
            case .refuse: throw error
            case .warn(let report): report("\(error)".replacingOccurrences(of: "refusing to keep", with: "keeping"))
            }
        }
        bucketChecked.done = true
    }
}

/// Whether the bucket was checked (once per store).
final class BucketCheck: Sendable {
    private let flag = Mutex(false)
    var done: Bool {
        get { flag.withLock { $0 } }
        set { flag.withLock { $0 = newValue } }
    }
}

/// The lockfile object: GET (a 64 KiB range first for the header), PUT with `If-Match`/`If-None-Match`.
struct S3Blob: VersionedBlob {
    let client: S3Client
    let key: String
    let location: String

    func readHeader() throws -> (header: LockfileCodec.Header, tag: String)? {
        let reply = try client.send("GET", key: key, headers: ["range": "bytes=0-65535"], location: location)
        if reply.status == 404 { return nil }
        if reply.status == 416 { return try readAll().map { (try LockfileCodec.header($0.bytes, path: location), $0.tag) } }
        guard reply.status == 200 || reply.status == 206, let etag = reply.etag else {
            throw StateBackendError.unexpected(location: location, operation: "GetObject", status: reply.status, detail: reply.code)
        }
        if let header = try? LockfileCodec.header(Array(reply.body), path: location) { return (header, etag) }
        guard let (bytes, tag) = try readAll() else { return nil }
        return (try LockfileCodec.header(bytes, path: location), tag)
    }

    func readAll() throws -> (bytes: [UInt8], tag: String)? {
        let reply = try client.send("GET", key: key, location: location)
        if reply.status == 404 { return nil }
        guard reply.status == 200, let etag = reply.etag else {
            throw StateBackendError.unexpected(location: location, operation: "GetObject", status: reply.status, detail: reply.code)
        }
        return (Array(reply.body), etag)
    }

    func write(_ parts: [[UInt8]], header: LockfileCodec.Header, expected: String?) throws -> String? {
        var body = Data()
        body.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { body.append(contentsOf: part) }
        return try client.conditionalPut(key: key, body: body, expected: expected, location: location, operation: "PutObject")
    }
}
