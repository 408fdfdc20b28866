import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeState
import CatalyzeStateBackends
import CatalyzeTestSupport
import Foundation
import Testing

/// `S3StateStore` against moto's S3. moto checks `If-Match` / `If-None-Match` outside any lock;
/// `Tests/Peers/run_moto.py` (install_atomic_s3_conditional_writes) serves each key's writes one
/// at a time, as S3 does, so the race test below means something on moto.
@Suite struct S3StateStoreTests {
    @Test func passesTheConformanceSuite() throws {
        let bucket = try NetworkStorePeers.bucket()
        try StateStoreConformance(
            makeStore: {
                let pod = NetworkStorePeers.unique("pod")
                return (bucket.store(pod: pod), bucket.store(pod: pod))
            },
            location: { ($0 as! S3StateStore).location }
        ).run()
    }

    @Test func twoWritersFromOneSerialExactlyOneWins() throws {
        let bucket = try NetworkStorePeers.bucket()
        try NetworkStateStoreRaces.writersFromOneSerial(writers: 2, rounds: 20) { count in
            let pod = NetworkStorePeers.unique("pod")
            return (0..<count).map { _ in bucket.store(pod: pod) }
        }
    }

    @Test func eightWritersFromOneSerialExactlyOneWins() throws {
        let bucket = try NetworkStorePeers.bucket()
        try NetworkStateStoreRaces.writersFromOneSerial(writers: 8, rounds: 10) { count in
            let pod = NetworkStorePeers.unique("pod")
            return (0..<count).map { _ in bucket.store(pod: pod) }
        }
    }

    @Test func manyPodsShareOneURLEachUnderItsName() throws {
        let bucket = try NetworkStorePeers.bucket()
        _ = try bucket.store(pod: "acme").save(StateFixtures.lockfile(resources: 1, pod: "acme"))
        _ = try bucket.store(pod: "globex").save(StateFixtures.lockfile(resources: 2, pod: "globex"))
        #expect(try bucket.store(pod: "acme").load()?.pod == "acme")
        #expect(try bucket.store(pod: "globex").load()?.resources.count == 2)
        #expect(try bucket.send("GET", key: "teams/a/acme/catalyze.lock.json").status == 200)
    }

    @Test func aBucketWithoutVersioningOrKMSIsRefusedOrWarnedUnderDev() throws {
        let bare = try NetworkStorePeers.bucket(versioning: false, encryption: false)
        #expect(throws: StateBackendError.insecureBucket(bucket: bare.name, missing: ["versioning", "default KMS encryption"])) {
            try bare.store().load()
        }
        let unversioned = try NetworkStorePeers.bucket(versioning: false, encryption: true)
        #expect(throws: StateBackendError.insecureBucket(bucket: unversioned.name, missing: ["versioning"])) {
            try unversioned.store().lock(StateFixtures.request(id: "lock-a"), timeout: .zero)
        }
        let warnings = Warnings()
        let dev = bare.store(policy: .warn { warnings.add($0) })
        _ = try dev.save(StateFixtures.lockfile(resources: 1))
        _ = try dev.load()
        #expect(warnings.all.count == 1, "warned once per store: \(warnings.all)")
        #expect(warnings.all.first?.contains("without versioning and default KMS encryption") == true)
    }

    @Test func aKilledHoldersLockExpiresByTheServersClock() async throws {
        // A holder that died: its lock object, written with a 5 s lease and never renewed. The
        // next locker compares the server's Date with the object's Last-Modified, and takes over.
        let bucket = try NetworkStorePeers.bucket()
        let store = bucket.store()
        let dead = StateFixtures.request(id: "lock-dead", pid: 999_999)
        let record = String(decoding: try JSONEncoder().encode(DeadRecord(holder: dead)), as: UTF8.self)
        let written = ContinuousClock.now
        try bucket.send("PUT", key: "teams/a/acme/catalyze.lock.json.lock", body: record, headers: ["content-type": "application/json"])
        // While the lease runs, the lock is refused naming the dead holder. A moto busy with the
        // whole suite can answer the first look only after the lease: then, and only then, the
        // look itself takes the lock over (the server's clock said so).
        switch Result(catching: { try store.lock(StateFixtures.request(id: "lock-b"), timeout: .zero) }) {
        case .success(let early):
            #expect(ContinuousClock.now - written > .seconds(5), "taken over before its lease ran out")
            #expect(early.recoveredFrom == dead)
            try early.release()
            return
        case .failure(let error):
            guard case let .locked(_, holder, _) = error as? StateError else { Issue.record("want .locked, got \(error)"); return }
            #expect(holder == dead)
        }
        let (recovered, waited) = try await offPool {
            let started = ContinuousClock.now
            let lock = try store.lock(StateFixtures.request(id: "lock-b"), timeout: .seconds(30))
            let recovered = lock.recoveredFrom
            try lock.release()
            return (recovered, ContinuousClock.now - started)
        }
        #expect(waited < .seconds(20), "the 5 s lease, waited out (no force-unlock): \(waited)")
        #expect(recovered == dead)
        #expect(try bucket.send("GET", key: "teams/a/acme/catalyze.lock.json.lock").status == 404)
    }

    @Test func theHeartbeatKeepsTheLockPastItsLease() async throws {
        let bucket = try NetworkStorePeers.bucket()
        let held = try bucket.store().lock(StateFixtures.request(id: "lock-a"), timeout: .zero)
        try await Task.sleep(for: .seconds(5))  // the lease is 3 s; renewed every second
        #expect(throws: StateError.self) { try bucket.store().lock(StateFixtures.request(id: "lock-b"), timeout: .zero) }
        try held.release()
        try bucket.store().lock(StateFixtures.request(id: "lock-b"), timeout: .zero).release()
    }

    @Test func anUnreachableEndpointFailsWithinTheTimeoutsAndNamesNoSecret() async throws {
        let silent = try SilentListener()
        let store = S3StateStore(
            bucket: "state", prefix: "", pod: "acme", region: "us-east-1", endpoint: silent.url,
            credentials: .fixed(NetworkStorePeers.credentials),
            transport: CurlTransport(timeouts: NetworkTimeouts(connect: 1, request: 2)))
        let (outcome, waited) = try await offPool {
            let started = ContinuousClock.now
            let outcome = Result { try store.load() }
            return (outcome, ContinuousClock.now - started)
        }
        let error = #expect(throws: StateBackendError.self) { try outcome.get() }
        #expect(waited < .seconds(6))
        let text = String(describing: error)
        #expect(text.contains("cannot be reached"), "\(text)")
        #expect(!text.contains("catalyze-test-secret") && !text.contains("Signature="), "\(text)")
    }

    @Test func aStateOfAnotherLineageIsRefusedUntouched() throws {
        let bucket = try NetworkStorePeers.bucket()
        _ = try bucket.store().save(StateFixtures.lockfile(resources: 1))
        var foreign = StateFixtures.lockfile(resources: 1, serial: 7)
        foreign.lineage = "00000000-0000-0000-0000-000000000000"
        #expect(throws: StateError.self) { try bucket.store().save(foreign) }
        #expect(try bucket.store().load()?.lineage == StateFixtures.lineage)
    }

    /// The AWS driver's chain, a CI web identity exchanged with moto's STS for a role: the store
    /// signs with the role's temporary key (fetched in a task while the store's thread waits, here
    /// from a test that itself runs on the cooperative pool).
    @Test func roleCredentialsFromTheAWSChainSignTheRequests() async throws {
        let moto = try Emulators.motoURL()
        let roleName = NetworkStorePeers.unique("catalyze-state")
        let admin = AWSConfiguration(credentials: NetworkStorePeers.credentials, endpoint: moto)
        let client = AWSDriver(configuration: admin, transport: CurlTransport(), jitter: JitterSource { 0.5 }).client
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"ci"},"Action":"sts:AssumeRoleWithWebIdentity"}]}"#
        do {
            _ = try await client.query(.iam, "CreateRole", region: "us-east-1", ["RoleName": roleName, "AssumeRolePolicyDocument": trust])
        } catch let error as DriverError {
            // The name is this test's own: a CreateRole whose answer came late was retried.
            guard case .api(_, _, _, "EntityAlreadyExists", _) = error else { throw error }
        }
        // A bucket in moto's default account (the role's), made with plain keys.
        let bucket = NetworkStorePeers.Bucket(name: NetworkStorePeers.unique("role-state"), account: "123456789012", endpoint: moto)
        try bucket.send("PUT")
        try bucket.send("PUT", query: "versioning", body: #"<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>"#, headers: ["content-type": "application/xml"])
        try bucket.send("PUT", query: "encryption", body: #"<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>"#, headers: ["content-type": "application/xml"])
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try "eyJhbGciOiJSUzI1NiJ9.ci.sig".write(toFile: folder.path("token"), atomically: true, encoding: .utf8)
        let environment = [
            "AWS_ENDPOINT_URL": moto.absoluteString, "AWS_WEB_IDENTITY_TOKEN_FILE": folder.path("token"),
            "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/\(roleName)",
        ]
        let store = try StateBackends.store(
            .s3(bucket: bucket.name, prefix: "ci"), .init(pod: "acme", environment: environment, lease: NetworkStorePeers.lease))
        // The store waits for the STS task on its calling thread: that thread is not the pool's.
        let (saved, loaded) = try await offPool {
            let saved = try store.save(StateFixtures.lockfile(resources: 2))
            let loaded = try store.load()
            try store.lock(StateFixtures.request(id: "lock-role"), timeout: .zero).release()
            return (saved, loaded)
        }
        #expect(loaded == saved)
        #expect(try bucket.send("GET", key: "ci/acme/catalyze.lock.json").status == 200)
    }

    private struct DeadRecord: Encodable {
        var holder: LockRequest
        // Long enough that the first look still sees it held on a loaded machine (HTTP dates have
        // whole seconds: a 2 s lease could be over by the first look), short enough to wait out.
        var lease_seconds = 5
    }

    final class Warnings: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func add(_ text: String) { lock.lock(); items.append(text); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
    }
}
