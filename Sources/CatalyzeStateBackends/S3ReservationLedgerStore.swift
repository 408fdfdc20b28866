import CatalyzeState
import Foundation

/// A region's reservation ledger as one S3 object beside the pods' states:
/// `s3://BUCKET/PREFIX/_fleet/<provider>-<region>.json`, written with `If-Match` on the ETag read
/// (`If-None-Match: *` for the first write), so of two racing writers exactly one wins.
public struct S3ReservationLedgerStore: ReservationLedgerStore {
    let client: S3Client
    let key: String
    let scope: LedgerScope

    init(client: S3Client, prefix: String, scope: LedgerScope) {
        self.client = client
        key = (prefix.isEmpty ? "" : prefix + "/") + "_fleet/\(scope.key).json"
        self.scope = scope
    }

    public var location: String { "s3://\(client.bucket)/\(key)" }

    public func read() throws -> (ledger: ReservationLedger, tag: String?) {
        let reply = try client.send("GET", key: key, location: location)
        if reply.status == 404 { return (ReservationLedger(scope: scope), nil) }
        guard reply.status == 200, let etag = reply.etag else {
            throw StateBackendError.unexpected(location: location, operation: "GetObject (ledger)", status: reply.status, detail: reply.code)
        }
        return (try ReservationLedger.decode(reply.body, location: location), etag)
    }

    public func write(_ ledger: ReservationLedger, expected: String?) throws -> String? {
        var next = ledger
        next.formatVersion = ReservationLedger.currentFormatVersion
        next.revision += 1
        return try client.conditionalPut(
            key: key, body: next.encoded(), expected: expected, location: location, operation: "PutObject (ledger)")
    }
}
