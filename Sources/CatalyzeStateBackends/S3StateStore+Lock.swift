import CatalyzeState
import Foundation
import Synchronization

/// The lock object `…/catalyze.lock.json.lock`: a `LockRecord` written with `If-None-Match: *`,
/// renewed by rewriting it with `If-Match` (which moves its `Last-Modified`), expired when the
/// server's own `Date` is more than the lease past its `Last-Modified`: then the next locker takes
/// it over with `If-Match` on the expired version (only one can), and reports the dead holder as
/// `recoveredFrom`.
extension S3StateStore {
    private enum Attempt {
        case acquired(StateLock)
        case held(LockRequest?)
    }

    /// Takes the lock, polling while another holder's lease runs, up to `timeout`.
    public func lock(_ info: LockRequest, timeout: Duration) throws -> StateLock {
        try checkBucket()
        let clock = ContinuousClock()
        let start = clock.now
        while true {
            switch try attempt(info) {
            case .acquired(let lock): return lock
            case .held(let holder):
                let waited = clock.now - start
                guard waited < timeout else { throw StateError.locked(lockfile: location, holder: holder, waited: waited) }
                sleepBlocking(min(lease.poll, timeout - waited))
            }
        }
    }

    /// Deletes the lock object if its holder's id is `id` (`If-Match` on the version read).
    public func forceUnlock(id: String) throws {
        try checkBucket()
        let reply = try client.send("GET", key: lockKey, location: location)
        if reply.status == 404 { throw StateError.notLocked(lockfile: location, given: id) }
        guard reply.status == 200, let etag = reply.etag else {
            throw StateBackendError.unexpected(location: location, operation: "GetObject (lock)", status: reply.status, detail: reply.code)
        }
        let record = LockRecord.decode(reply.body)
        guard let record, record.holder.id == id else {
            throw StateError.unlockIDMismatch(lockfile: location, given: id, holder: record?.holder)
        }
        let deleted = try client.send("DELETE", key: lockKey, headers: ["if-match": etag], location: location)
        guard deleted.status == 204 || deleted.status == 200 else {
            if deleted.status == 412 || deleted.status == 404 { throw StateError.notLocked(lockfile: location, given: id) }
            throw StateBackendError.unexpected(location: location, operation: "DeleteObject (lock)", status: deleted.status, detail: deleted.code)
        }
    }

    private func attempt(_ info: LockRequest) throws -> Attempt {
        let body = LockRecord(holder: info, leaseSeconds: lease.ttlSeconds).encoded()
        let created = try client.send(
            "PUT", key: lockKey, headers: ["if-none-match": "*", "content-type": "application/json"], body: body, location: location)
        if created.status == 200, let etag = created.etag { return .acquired(held(info, etag: etag, body: body, recoveredFrom: nil)) }
        guard created.status == 412 || created.status == 409 else {
            throw StateBackendError.unexpected(location: location, operation: "PutObject (lock)", status: created.status, detail: created.code)
        }
        let current = try client.send("GET", key: lockKey, location: location)
        if current.status == 404 { return .held(nil) }  // released in between: try again at once
        guard current.status == 200, let etag = current.etag else {
            throw StateBackendError.unexpected(location: location, operation: "GetObject (lock)", status: current.status, detail: current.code)
        }
        let record = LockRecord.decode(current.body)
        // Both times are the server's: its answer's Date and the object's Last-Modified.
        if let now = current.date, let renewed = current.lastModified {
            let leaseSeconds = Double(record?.leaseSeconds ?? lease.ttlSeconds)
            if now.timeIntervalSince(renewed) > leaseSeconds {
                let taken = try client.send(
                    "PUT", key: lockKey, headers: ["if-match": etag, "content-type": "application/json"], body: body, location: location)
                if taken.status == 200, let newTag = taken.etag {
                    return .acquired(held(info, etag: newTag, body: body, recoveredFrom: record?.holder))
                }
            }
        }
        return .held(record?.holder)
    }

    /// The held lock: a heartbeat rewrites the object every third of the lease; release stops it
    /// and deletes the object if it is still this holder's version.
    private func held(_ info: LockRequest, etag: String, body: Data, recoveredFrom: LockRequest?) -> StateLock {
        let client = client, lockKey = lockKey, location = location
        let current = Shared(etag)
        let heartbeat = LeaseHeartbeat(interval: lease.heartbeat) {
            let tag = current.value
            guard let reply = try? client.send(
                "PUT", key: lockKey, headers: ["if-match": tag, "content-type": "application/json"], body: body, location: location)
            else { return .renewed }  // unreachable for now: try again at the next beat
            if reply.status == 200, let next = reply.etag {
                current.value = next
                return .renewed
            }
            if [412, 404, 409].contains(reply.status) { return .lost("the lock object was replaced or removed (force-unlock, or the lease ran out)") }
            return .renewed
        }
        return StateLock(holder: info, recoveredFrom: recoveredFrom) {
            heartbeat.stop()
            let tag = current.value
            _ = try? client.send("DELETE", key: lockKey, headers: ["if-match": tag], location: location)
        }
    }
}
