import CatalyzeState
import Foundation

/// The lock: `PREFIX/<pod>/lock`, put in a transaction only if it does not exist
/// (`create_revision == 0`), bound to a lease that a heartbeat keeps alive every third of its TTL.
/// A killed holder's lease runs out on the server and takes the key with it; nobody has to unlock.
/// `lock-holder` (no lease) records the last holder, read in the same transaction that takes the
/// lock: found there, a holder that never released is reported as `recoveredFrom`.
extension EtcdStateStore {
    /// Takes the lock, polling while another holder's lease is alive, up to `timeout`.
    public func lock(_ info: LockRequest, timeout: Duration) throws -> StateLock {
        let clock = ContinuousClock()
        let start = clock.now
        let record = LockRecord(holder: info, leaseSeconds: lease.ttlSeconds).encoded()
        while true {
            let leaseID = try client.grantLease(ttl: lease.ttlSeconds)
            let (succeeded, responses) = try client.txn(
                compare: [EtcdClient.absent(lockKey)],
                success: [EtcdClient.rangeOp(holderKey), EtcdClient.putOp(lockKey, record, lease: leaseID),
                          EtcdClient.putOp(holderKey, record)],
                failure: [EtcdClient.rangeOp(lockKey)])
            if succeeded {
                let previous = EtcdClient.rangeResult(responses, 0).first.flatMap { LockRecord.decode($0.value)?.holder }
                return held(info, record: record, leaseID: leaseID, recoveredFrom: previous)
            }
            client.revoke(leaseID)
            let holder = EtcdClient.rangeResult(responses, 0).first.flatMap { LockRecord.decode($0.value)?.holder }
            let waited = clock.now - start
            guard waited < timeout else { throw StateError.locked(lockfile: location, holder: holder, waited: waited) }
            sleepBlocking(min(lease.poll, timeout - waited))
        }
    }

    /// Deletes the lock (and revokes its lease) if its holder's id is `id`.
    public func forceUnlock(id: String) throws {
        guard let current = try client.get(lockKey) else { throw StateError.notLocked(lockfile: location, given: id) }
        let record = LockRecord.decode(current.value)
        guard let record, record.holder.id == id else {
            throw StateError.unlockIDMismatch(lockfile: location, given: id, holder: record?.holder)
        }
        let (succeeded, _) = try client.txn(
            compare: [EtcdClient.modRevisionIs(lockKey, current.modRevision)],
            success: [EtcdClient.deleteOp(lockKey), EtcdClient.deleteOp(holderKey)])
        guard succeeded else { throw StateError.notLocked(lockfile: location, given: id) }
        if let leaseID = current.lease, leaseID != "0" { client.revoke(leaseID) }
    }

    private func held(_ info: LockRequest, record: Data, leaseID: String, recoveredFrom: LockRequest?) -> StateLock {
        let client = client, holderKey = holderKey
        let heartbeat = LeaseHeartbeat(interval: lease.heartbeat) {
            do {
                return try client.keepAlive(leaseID) ? .renewed : .lost("its lease \(leaseID) expired or was revoked")
            } catch {
                return .renewed  // unreachable for now: try again at the next beat (the lease lasts three)
            }
        }
        return StateLock(holder: info, recoveredFrom: recoveredFrom) {
            heartbeat.stop()
            // The holder record first (only if it is still this holder's: after a force-unlock it
            // may be the next holder's); a release cut short leaves at worst a lock that expires.
            _ = try? client.txn(compare: [EtcdClient.valueIs(holderKey, record)], success: [EtcdClient.deleteOp(holderKey)])
            client.revoke(leaseID)
        }
    }
}
