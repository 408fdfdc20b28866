import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeState
import CatalyzeStateBackends
import CatalyzeTestSupport
import Foundation
import Testing

/// `--backend`, `CATALYZE_BACKEND` and the manifest's `state.backend`, run as the real binary.
@Suite struct StateBackendCommandTests {
    @Test(arguments: [
        (["plan", "--backend", "s4://bucket/x"], "scheme"),
        (["state", "list", "--backend", "etcd://127.0.0.1/p"], "port"),
        (["force-unlock", "abc", "--backend", "s3://Bad_Bucket/x"], "bucket"),
        (["apply", "--auto-approve", "--backend", "s3://bucket/a//b"], "prefix"),
        (["access", "list", "--backend", "etcd://h:1"], "prefix"),
    ])
    func aMalformedBackendIsAUsageErrorNamingThePart(arguments: [String], part: String) async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-backend-cli")
        defer { folder.remove() }
        let result = try await runCommand(catalyzeBinary, arguments, in: folder.url)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("--backend: backend URL"), "\(result.stderr)")
        #expect(result.stderr.contains(": \(part): "), "\(result.stderr)")
    }

    @Test func aMalformedEnvironmentBackendIsAUsageErrorToo() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-backend-cli")
        defer { folder.remove() }
        let result = try await runCommand(
            catalyzeBinary, ["state", "list"], in: folder.url, environment: ["CATALYZE_BACKEND": "etcd://h:99999/p"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("CATALYZE_BACKEND: backend URL 'etcd://h:99999/p': port:"), "\(result.stderr)")
    }

    @Test func stateAndBackendTogetherAreAUsageError() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-backend-cli")
        defer { folder.remove() }
        let result = try await runCommand(catalyzeBinary, ["state", "list", "--state", "x.json", "--backend", "file:y.json"], in: folder.url)
        #expect(result.status == 64, "\(result.stderr)")
    }

    /// The same lockfile read through each way of naming etcd, and the flag winning over the
    /// environment, which wins over the manifest.
    @Test func precedenceIsFlagThenEnvironmentThenManifestThenTheLocalLockfile() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-backend-cli")
        defer { folder.remove() }
        let etcd = try etcdURL()
        let member = "\(etcd.host!):\(etcd.port!)"
        let prefix = "catalyze-test/cli-\(UUID().uuidString.prefix(8).lowercased())"
        // In etcd: pod acme with one instance; locally: a lockfile with one volume.
        let remote = EtcdStateStore(
            endpoints: [etcd], prefix: prefix, pod: "acme", transport: CurlTransport(timeouts: .standard))
        _ = try remote.save(Self.lockfile(.instance, "app01"))
        _ = try FileStateStore(path: folder.path("catalyze.lock.json")).save(Self.lockfile(.volume, "db01"))
        let manifest = """
            version: 1
            pod: { name: acme, customer: Acme }
            profile: dev
            regions: [{ name: primary, provider: aws, region: us-east-1 }]
            apps: [{ name: app, replicas: 1, size: small, image: "registry.example/web:1" }]
            state: { backend: "etcd://\(member)/\(prefix)" }

            """
        try Data(manifest.utf8).write(to: folder.url.appendingPathComponent("pod.yaml"))

        let fromManifest = try await runCommand(catalyzeBinary, ["state", "list"], in: folder.url)
        #expect(fromManifest.status == 0, "\(fromManifest.stderr)")
        #expect(fromManifest.stdout == "primary/instance.app01\n")

        let envWins = try await runCommand(
            catalyzeBinary, ["state", "list"], in: folder.url, environment: ["CATALYZE_BACKEND": "file:catalyze.lock.json"])
        #expect(envWins.stdout == "primary/volume.db01\n", "\(envWins.stderr)")

        let flagWins = try await runCommand(
            catalyzeBinary, ["state", "list", "--backend", "etcd://\(member)/\(prefix)"], in: folder.url,
            environment: ["CATALYZE_BACKEND": "file:catalyze.lock.json"])
        #expect(flagWins.stdout == "primary/instance.app01\n", "\(flagWins.stderr)")

        let stateFlag = try await runCommand(catalyzeBinary, ["state", "list", "--state", "catalyze.lock.json"], in: folder.url)
        #expect(stateFlag.stdout == "primary/volume.db01\n", "\(stateFlag.stderr)")
    }

    @Test func anUnreachableBackendFailsWithinTheConnectTimeout() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-backend-cli")
        defer { folder.remove() }
        try Data("version: 1\npod: { name: acme, customer: Acme }\nprofile: dev\nregions: [{ name: primary, provider: aws, region: us-east-1 }]\napps: [{ name: app, replicas: 1, size: small, image: \"r/w:1\" }]\n".utf8)
            .write(to: folder.url.appendingPathComponent("pod.yaml"))
        let silent = try SilentListener()
        let started = ContinuousClock.now
        let result = try await runCommand(
            catalyzeBinary, ["state", "list", "--backend", "etcd://127.0.0.1:\(silent.port)/p"], in: folder.url,
            environment: ["CATALYZE_REQUEST_TIMEOUT": "2s", "CATALYZE_CONNECT_TIMEOUT": "1s"])
        // Each request gives up after 2 s, not the standard 30 s: the whole run stays well under
        // one standard request timeout, with room for a loaded CI machine (never a tight bound).
        #expect(ContinuousClock.now - started < .seconds(25))
        #expect(result.status == 1)
        #expect(result.stderr.contains("the state backend cannot be reached"), "\(result.stderr)")
    }

    static func lockfile(_ kind: ResourceKind, _ name: String) -> Lockfile {
        var lockfile = Lockfile.new(pod: "acme", lineage: "11111111-2222-3333-4444-555555555555")
        let address = ResourceAddress(region: "primary", kind: kind, name: name)
        lockfile.resources[address] = ResourceRecord(
            address: address, kind: kind, provider: .aws, cloudRegion: "us-east-1", cloudID: "id-\(name)",
            attributes: [:], outputs: [:], dependencies: [], token: "tok-\(name)")
        return lockfile
    }

    func etcdURL() throws -> URL {
        if let value = ProcessInfo.processInfo.environment["CATALYZE_ETCD_URL"], let url = URL(string: value) { return url }
        let text = (try? String(contentsOf: Emulators.environmentFile, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where line.contains("CATALYZE_ETCD_URL=") {
            if let url = URL(string: String(line.split(separator: "=", maxSplits: 1)[1])) { return url }
        }
        throw EmulatorsError.notStarted(variable: "CATALYZE_ETCD_URL")
    }
}
