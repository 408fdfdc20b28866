import CatalyzeCore
import CatalyzeDrivers
import CatalyzeState
import Foundation

/// A pod's lockfile in etcd (`etcd://HOST:PORT[,…]/PREFIX`), through the v3 JSON gateway.
///
/// Keys under `PREFIX/<pod>/`:
/// - `state`: the pointer, a small JSON document naming the current generation, its chunk count
///   and the lockfile's header (format, lineage, serial, writer), so checks read no chunk;
/// - `chunks/<generation>/<index>`: the lockfile's bytes in chunks of at most `chunkSize`
///   (512 KiB by default: base64 and JSON bring each request well under etcd's default 1.5 MiB
///   limit), written before the pointer and never changed;
/// - `lock` (bound to a lease) and `lock-holder` (the last holder, for `recoveredFrom`).
///
/// A save writes the new generation's chunks, then swaps the pointer in a transaction that
/// compares its `mod_revision` with the one the writer last saw (0 for the first write): exactly
/// one of two racing writers wins; the loser deletes its chunks and fails naming the winner's
/// serial. The winner deletes the old generation's chunks. A reader that finds a generation gone
/// (deleted by a newer save between its two reads) reads the pointer again.
public struct EtcdStateStore: StateStore {
    let client: EtcdClient
    let root: String
    let lease: LeasePolicy
    private let cas: CASState

    /// A store for `pod` under `prefix` on the members `endpoints` (`http(s)://HOST:PORT`).
    public init(
        endpoints: [URL], prefix: String, pod: String, transport: any BlockingHTTPTransport,
        lease: LeasePolicy = .standard, chunkSize: Int = 512 * 1024, displayURL: String? = nil
    ) {
        root = "/" + prefix + "/" + pod + "/"
        let members = endpoints.map { url in "\(url.host ?? "?"):\(url.port ?? 2379)" }.joined(separator: ",")
        let shown = (displayURL ?? "etcd://\(members)/\(prefix)") + "/\(pod)"
        client = EtcdClient(endpoints: endpoints, transport: transport, location: shown)
        self.lease = lease
        cas = CASState(blob: EtcdBlob(client: client, root: root, chunkSize: max(1024, chunkSize), location: shown))
    }

    /// How errors name this state: `etcd://HOST:PORT/PREFIX/<pod>`.
    public var location: String { client.location }
    var lockKey: String { root + "lock" }
    var holderKey: String { root + "lock-holder" }

    /// Reads the lockfile; nil when there is none.
    public func load() throws -> Lockfile? { try cas.load() }

    /// Writes `lockfile` with `serial + 1` if no one wrote since it was loaded (pointer CAS).
    public func save(_ lockfile: Lockfile) throws -> Lockfile { try cas.save(lockfile) }
}

/// The pointer and its chunks.
struct EtcdBlob: VersionedBlob {
    let client: EtcdClient
    let root: String
    let chunkSize: Int
    let location: String

    var pointerKey: String { root + "state" }
    func chunkPrefix(_ generation: String) -> String { root + "chunks/" + generation + "/" }
    func chunkKey(_ generation: String, _ index: Int) -> String { chunkPrefix(generation) + String(format: "%06d", index) }

    struct Pointer: Codable {
        var generation: String
        var chunks: Int
        var bytes: Int
        var formatVersion: Int
        var lineage: String
        var serial: Int
        var writtenBy: String?

        enum CodingKeys: String, CodingKey {
            case generation, chunks, bytes, lineage, serial
            case formatVersion = "format_version"
            case writtenBy = "written_by"
        }
    }

    func pointer() throws -> (Pointer, Int)? {
        guard let kv = try client.get(pointerKey) else { return nil }
        guard let pointer = try? JSONDecoder().decode(Pointer.self, from: kv.value) else {
            throw StateError.corrupt(path: location, line: 1, column: 1, reason: "the state pointer is not catalyze's")
        }
        return (pointer, kv.modRevision)
    }

    func readHeader() throws -> (header: LockfileCodec.Header, tag: String)? {
        guard let (pointer, revision) = try pointer() else { return nil }
        let header = LockfileCodec.Header(
            formatVersion: pointer.formatVersion, lineage: pointer.lineage, serial: pointer.serial, writtenBy: pointer.writtenBy)
        return (header, String(revision))
    }

    func readAll() throws -> (bytes: [UInt8], tag: String)? {
        for _ in 0..<5 {
            guard let (pointer, revision) = try pointer() else { return nil }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(pointer.bytes)
            var complete = true
            for index in 0..<pointer.chunks {
                guard let chunk = try client.get(chunkKey(pointer.generation, index)) else { complete = false; break }
                bytes.append(contentsOf: chunk.value)
            }
            // A newer save deleted this generation between our reads: read the new pointer.
            if complete, bytes.count == pointer.bytes { return (bytes, String(revision)) }
        }
        throw StateBackendError.conflict(location: location, detail: "the state changed five times while being read")
    }

    func write(_ parts: [[UInt8]], header: LockfileCodec.Header, expected: String?) throws -> String? {
        var body: [UInt8] = []
        body.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { body.append(contentsOf: part) }
        let generation = UUID().uuidString.lowercased()
        var count = 0
        var offset = 0
        repeat {
            let end = min(body.count, offset + chunkSize)
            try client.put(chunkKey(generation, count), Data(body[offset..<end]))
            count += 1
            offset = end
        } while offset < body.count
        let pointer = Pointer(
            generation: generation, chunks: count, bytes: body.count, formatVersion: header.formatVersion,
            lineage: header.lineage, serial: header.serial, writtenBy: header.writtenBy)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let pointerBytes = try encoder.encode(pointer)
        let expectedRevision = expected.flatMap { Int($0) } ?? 0
        let (succeeded, responses) = try client.txn(
            compare: [EtcdClient.modRevisionIs(pointerKey, expectedRevision)],
            success: [EtcdClient.rangeOp(pointerKey), EtcdClient.putOp(pointerKey, pointerBytes)],
            failure: [])
        guard succeeded else {
            try? client.deletePrefix(chunkPrefix(generation))
            return nil
        }
        // The old generation (read in the same transaction, before the put) is no longer reachable.
        if let old = EtcdClient.rangeResult(responses, 0).first,
           let oldPointer = try? JSONDecoder().decode(Pointer.self, from: old.value) {
            try? client.deletePrefix(chunkPrefix(oldPointer.generation))
        }
        // The pointer's new mod_revision is the transaction's revision.
        let revision = (responses.count > 1 ? (responses[1]["response_put"] as? [String: Any])?["header"] as? [String: Any] : nil)?["revision"] as? String
        guard let revision else {
            // Read it back: the pointer is ours unless someone wrote since (then the next save fails its CAS, as it should).
            return try client.get(pointerKey).map { String($0.modRevision) }
        }
        return revision
    }
}
