import CatalyzeState
import Foundation

/// A region's reservation ledger as one etcd key beside the pods' states:
/// `/PREFIX/_fleet/<provider>-<region>`, written in a transaction comparing its `mod_revision`
/// with the one read (`create_revision == 0` for the first write), so of two racing writers
/// exactly one wins. A ledger is a few hundred bytes per claim: far below etcd's request limit.
public struct EtcdReservationLedgerStore: ReservationLedgerStore {
    let client: EtcdClient
    let key: String
    let shown: String
    let scope: LedgerScope

    init(client: EtcdClient, prefix: String, displayURL: String, scope: LedgerScope) {
        self.client = client
        key = "/" + prefix + "/_fleet/" + scope.key
        shown = displayURL + "/_fleet/" + scope.key
        self.scope = scope
    }

    public var location: String { shown }

    public func read() throws -> (ledger: ReservationLedger, tag: String?) {
        guard let kv = try client.get(key) else { return (ReservationLedger(scope: scope), nil) }
        return (try ReservationLedger.decode(kv.value, location: location), String(kv.modRevision))
    }

    public func write(_ ledger: ReservationLedger, expected: String?) throws -> String? {
        var next = ledger
        next.formatVersion = ReservationLedger.currentFormatVersion
        next.revision += 1
        let compare = expected.flatMap(Int.init).map { EtcdClient.modRevisionIs(key, $0) } ?? EtcdClient.absent(key)
        let reply = try client.call(
            "v3/kv/txn", ["compare": [compare], "success": [EtcdClient.putOp(key, next.encoded())], "failure": [] as [Any]])
        guard (reply["succeeded"] as? Bool) == true else { return nil }
        // The transaction's revision is the put's: the key's new mod_revision (not read back: by
        // then it could be another writer's).
        guard let header = reply["header"] as? [String: Any], let revision = header["revision"] as? String else {
            throw StateBackendError.unexpected(location: location, operation: "etcd kv/txn (ledger)", status: 200, detail: "no revision in the answer")
        }
        return revision
    }
}
