import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeState
import CatalyzeStateBackends
import CatalyzeTestSupport
import Foundation
import Testing

/// Issue 17's fleet reservations with the built binary against a private moto whose fleet cannot
/// hold every pod: three m5 dedicated hosts of 96 vCPUs, and eight pipelines (eight `catalyze apply`
/// processes at once, each its own pod of 44 vCPUs, Tests/Fixtures/pods/fleet-small-aws.yaml) with
/// the state and the reservation ledger in one backend. moto is made stricter than it is
/// (Tests/Peers/run_moto.py): like EC2 it refuses RunInstances onto a host without room
/// (`InsufficientCapacityOnHost`), so a pipeline that placed onto a host another pipeline filled
/// would fail part-way; with reservations none does. Leases are short (`CATALYZE_LEASE=10s`).
@Suite(.serialized) struct FleetReservationEndToEndTests {
    static let pipelines = 8
    static let lease = 10

    struct Fleet {
        let moto: PrivateMoto
        let root: TemporaryDirectory
        let environment: [String: String]

        /// The folder of pipeline `index` (pod `fleet-<index>`), made on first use.
        func folder(_ index: Int) throws -> URL {
            let folder = root.url.appendingPathComponent("fleet-\(index)")
            if !FileManager.default.fileExists(atPath: folder.path) {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let template = try String(
                    contentsOf: repositoryRoot.appendingPathComponent("Tests/Fixtures/pods/fleet-small-aws.yaml"), encoding: .utf8)
                try template.replacingOccurrences(of: "POD_NAME", with: "fleet-\(index)")
                    .replacingOccurrences(of: "POD_CIDR", with: "10.\(50 + index).0.0/16")
                    .write(to: folder.appendingPathComponent("pod.yaml"), atomically: true, encoding: .utf8)
            }
            return folder
        }

        func catalyze(_ index: Int, _ arguments: [String], extra: [String: String] = [:]) async throws -> CommandResult {
            try await runCommand(catalyzeBinary, arguments, in: try folder(index), environment: environment.merging(extra) { $1 })
        }

        /// The fleet as moto reports it now.
        func hosts() async throws -> [CatalyzeDrivers.FleetHost] {
            let driver = try AWSDriver.fromEnvironment(environment, transport: CurlTransport())
            return try await driver.fleet(FleetRequest(region: "us-east-1")).hosts
        }

        /// The pod's live instances: address name → host.
        func instances(pod: String) async throws -> [String: String] {
            let driver = try AWSDriver.fromEnvironment(environment, transport: CurlTransport())
            let live = try await driver.refresh(RefreshRequest(pod: pod, region: "us-east-1")).resources
            var hosts: [String: String] = [:]
            for found in live where found.kind == .instance { hosts[found.address.name] = found.resource.attributes["host"] ?? "" }
            return hosts
        }

        /// Everything the cloud holds for the pod.
        func resources(pod: String) async throws -> [LiveResource] {
            let driver = try AWSDriver.fromEnvironment(environment, transport: CurlTransport())
            return try await driver.refresh(RefreshRequest(pod: pod, region: "us-east-1")).resources
        }
    }

    static func fleet() async throws -> Fleet {
        let moto = try await PrivateMoto.start()
        let seed = try await runCommand(
            PrivateMoto.python,
            [repositoryRoot.appendingPathComponent("scripts/seed-aws-fleet.py").path, moto.url.absoluteString, "us-east-1", "--hosts", "3"])
        try #require(seed.status == 0, "seeding failed: \(seed.stderr)")
        let root = try TemporaryDirectory(prefix: "catalyze-fleet")
        let environment = [
            "AWS_ENDPOINT_URL": moto.url.absoluteString, "AWS_ACCESS_KEY_ID": "AKIDFLEETTEST",
            "AWS_SECRET_ACCESS_KEY": "fleet-secret-never-printed", "NO_COLOR": "1", "AWS_PROFILE": "", "AWS_SESSION_TOKEN": "",
            "CATALYZE_LEASE": "\(lease)s",
        ]
        return Fleet(moto: moto, root: root, environment: environment)
    }

    /// Eight applies at once with the state in `backend(index)`: each applied or stopped with the
    /// fleet-full error before creating anything; no host over capacity (moto's own figures), every
    /// pod's app01 and app02 on different hosts, and no reservation left once all have ended.
    func eightPipelines(_ fleet: Fleet, backend: (Int) -> String) async throws {
        let results = try await withThrowingTaskGroup(of: (Int, CommandResult).self) { group in
            for index in 1...Self.pipelines {
                let url = backend(index)
                group.addTask { (index, try await fleet.catalyze(index, ["apply", "--auto-approve", "--backend", url])) }
            }
            var all: [Int: CommandResult] = [:]
            for try await (index, result) in group { all[index] = result }
            return all
        }
        var applied: [Int] = [], refused: [Int] = []
        for (index, result) in results.sorted(by: { $0.key < $1.key }) {
            if result.status == 0 {
                applied.append(index)
            } else {
                refused.append(index)
                #expect(result.stderr.contains("error: the fleet is full (counting "), "pipeline \(index): \(result.stderr)")
                #expect(result.stderr.contains("capacity: needs"), "the error names hosts and what they lack: \(result.stderr)")
                #expect(!result.stderr.contains("InsufficientCapacityOnHost"), "never refused by the cloud part-way: \(result.stderr)")
                let left = try await fleet.resources(pod: "fleet-\(index)")
                #expect(left.isEmpty, "pipeline \(index) stopped before creating anything: \(left.map(\.address))")
            }
        }
        // 8 × 44 vCPUs cannot fit in 288; six at most, and at least four always do.
        #expect((4...6).contains(applied.count) && refused.count == Self.pipelines - applied.count, "applied \(applied), refused \(refused)")
        for host in try await fleet.hosts() {
            #expect(host.allocated.vcpu <= host.capacity.vcpu && host.allocated.memoryMiB <= host.capacity.memoryMiB, "\(host.id): \(host.allocated)")
        }
        for index in applied {
            let hosts = try await fleet.instances(pod: "fleet-\(index)")
            #expect(hosts.count == 5 && hosts["app01"] != nil && hosts["app01"] != hosts["app02"], "fleet-\(index): \(hosts)")
        }
        let shown = try await fleet.catalyze(applied.first ?? 1, ["hosts", "--json", "--backend", backend(applied.first ?? 1)])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any], "\(shown.stderr)")
        let rows = try #require(report["hosts"] as? [[String: Any]])
        #expect(rows.count == 3 && rows.allSatisfy { ($0["reservations"] as? [Any])?.isEmpty == true },
                "every claim dropped once the fleet shows its instance, or released: \(shown.stdout)")
    }

    @Test func eightPipelinesOnEtcd() async throws {
        let fleet = try await Self.fleet()
        defer { fleet.moto.stop(); fleet.root.remove() }
        let etcd = try Self.etcdURL()
        let prefix = "catalyze-fleet/\(UUID().uuidString.prefix(8).lowercased())"
        try await eightPipelines(fleet) { _ in "etcd://\(etcd.host!):\(etcd.port!)/\(prefix)" }
    }

    @Test func eightPipelinesOnS3() async throws {
        let fleet = try await Self.fleet()
        defer { fleet.moto.stop(); fleet.root.remove() }
        try Self.makeBucket(fleet, "fleet-state")
        try await eightPipelines(fleet) { _ in "s3://fleet-state/teams/platform" }
    }

    @Test func eightPipelinesOnTheFileBackend() async throws {
        let fleet = try await Self.fleet()
        defer { fleet.moto.stop(); fleet.root.remove() }
        // One shared folder holds every pod's lockfile and the ledger beside them.
        let shared = fleet.root.path("state")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        try await eightPipelines(fleet) { index in "file:\(shared)/fleet-\(index).lock.json" }
        #expect(FileManager.default.fileExists(atPath: "\(shared)/catalyze.fleet.aws-us-east-1.json"))
    }

    /// `kill -9` of a pipeline once its claims are in the ledger: they lapse within the lease (no
    /// one releases them), the other pipelines see the room again, and the next run of the pod
    /// resumes and converges without `force-unlock` (its etcd lock lapsed too).
    @Test func aKilledPipelinesReservationsExpireAndTheNextRunResumes() async throws {
        let fleet = try await Self.fleet()
        defer { fleet.moto.stop(); fleet.root.remove() }
        let etcd = try Self.etcdURL()
        let url = "etcd://\(etcd.host!):\(etcd.port!)/catalyze-fleet/\(UUID().uuidString.prefix(8).lowercased())"
        let ledger = try StateBackends.ledger(
            try StateBackendURL.parse(url), .init(pod: "fleet-1", environment: [:]), scope: LedgerScope(provider: "aws", region: "us-east-1"))
        // `hosts` must still see the claims after the kill on a loaded machine: a 10 s lease.
        let steps = PlanSteps(folder: try fleet.folder(1), environment: fleet.environment)
        let ended = try await steps.killed(["apply", "--auto-approve", "--backend", url]) {
            try await offPool { try ledger.read().ledger.active(now: Date()).contains { $0.pod == "fleet-1" } }
        }
        #expect(ended == .uncaughtSignal)
        let claims = try await offPool { try ledger.read().ledger.active(now: Date()).filter { $0.pod == "fleet-1" } }
        #expect(claims.count == 5 && claims.allSatisfy { $0.state == .reserved || $0.state == .committed }, "\(claims)")
        // Another pod's `hosts` shows them (human: the RESERVED column; JSON: hosts[].reservations).
        let shown = try await fleet.catalyze(2, ["hosts", "--json", "--backend", url])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any], "\(shown.stderr)")
        let listed = (report["hosts"] as? [[String: Any]] ?? []).flatMap { $0["reservations"] as? [[String: Any]] ?? [] }
        #expect(listed.count == 5 && listed.allSatisfy { $0["pod"] as? String == "fleet-1" && $0["vcpu"] is Int && $0["expires_at"] is String },
                "\(shown.stdout)")
        let table = try await fleet.catalyze(2, ["hosts", "--backend", url])
        #expect(table.stdout.contains("RESERVED") && table.stdout.contains("GiB (") , "\(table.stdout)")
        // Lapsed within the lease: polled every 500 ms, bounded at 30 s for a 10 s lease.
        var lapsed = false
        for _ in 0..<60 {
            if try await offPool({ try ledger.read().ledger.active(now: Date()).allSatisfy { $0.pod != "fleet-1" } }) {
                lapsed = true
                break
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(lapsed, "the killed pipeline's reservations expired by themselves")
        let again = try await fleet.catalyze(1, ["apply", "--auto-approve", "--backend", url, "--lock-timeout", "20s"])
        #expect(again.status == 0, "resumed without force-unlock: \(again.stderr)")
        let plan = try await fleet.catalyze(1, ["plan", "--detailed-exitcode", "--backend", url])
        #expect(plan.status == 0, "\(plan.stdout)\n\(plan.stderr)")
        #expect(try await fleet.instances(pod: "fleet-1").count == 5)
    }

    /// The cloud's own refusal goes through the same re-placement: once the apply has claimed its
    /// hosts, the host of app01 is filled behind catalyze's back (instances launched straight into
    /// moto, as another tool would); the apply's calls go through the fault proxy with 300 ms of
    /// latency, so the network and firewall calls before the launches leave time for that. moto (as
    /// EC2) refuses the launch onto the full host with InsufficientCapacityOnHost; the apply takes
    /// the host as full, re-places what it refused elsewhere, and completes.
    @Test func theCloudsCapacityRefusalIsRePlacedElsewhere() async throws {
        let fleet = try await Self.fleet()
        defer { fleet.moto.stop(); fleet.root.remove() }
        let proxy = try await FaultProxy.start(upstream: fleet.moto.url, configuration: .init(latencyMs: 300))
        defer { proxy.stop() }
        let folder = try fleet.folder(1)
        let ledger = FileReservationLedgerStore(
            lockfilePath: folder.appendingPathComponent("catalyze.lock.json").path, scope: LedgerScope(provider: "aws", region: "us-east-1"))
        async let applied = fleet.catalyze(1, ["apply", "--auto-approve"], extra: ["AWS_ENDPOINT_URL": proxy.url.absoluteString])
        var filled: String?
        for _ in 0..<600 where filled == nil {  // polled every 50 ms, up to 30 s
            if let claim = try await offPool({ try ledger.read().ledger.reservations.first { $0.address == "primary/instance.app01" } }) {
                let fill = try await runCommand(PrivateMoto.python, ["-c", Self.fillHost, fleet.moto.url.absoluteString, claim.host])
                try #require(fill.status == 0, "\(fill.stderr)")
                filled = claim.host
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let result = try await applied
        let host = try #require(filled, "the apply claimed app01's host")
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("note: the cloud refused") && result.stderr.contains("primary/instance.app01")
                && result.stderr.contains("lack of room on host \(host); re-placing"), "\(result.stderr)")
        let hosts = try await fleet.instances(pod: "fleet-1")
        #expect(hosts.count == 5 && hosts["app01"] != host && hosts["app01"] != hosts["app02"], "\(hosts)")
        let plan = try await fleet.catalyze(1, ["plan", "--detailed-exitcode"])
        #expect(plan.status == 0, "\(plan.stdout)\n\(plan.stderr)")
    }

    /// Fills a dedicated host (argv[2]) of the moto at argv[1] with m5.large instances, straight
    /// through EC2's API.
    static let fillHost = """
        import sys, boto3
        ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=sys.argv[1],
                           aws_access_key_id="AKIDFLEETTEST", aws_secret_access_key="fill")
        free = ec2.describe_hosts(HostIds=[sys.argv[2]])["Hosts"][0]["AvailableCapacity"]["AvailableVCpus"]
        if free >= 2:
            ec2.run_instances(ImageId="ami-12c6146b", InstanceType="m5.large", MinCount=free // 2, MaxCount=free // 2,
                              Placement={"HostId": sys.argv[2], "Tenancy": "host"})
        print(free)
        """

    static func makeBucket(_ fleet: Fleet, _ bucket: String) throws {
        for (query, body) in [
            (nil as String?, ""),
            ("versioning", "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Enabled</Status></VersioningConfiguration>"),
            ("encryption", "<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>"),
        ] {
            let url = URL(string: "\(fleet.moto.url.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")))/\(bucket)\(query.map { "?\($0)" } ?? "")")!
            var request = HTTPRequest(method: "PUT", url: url, headers: body.isEmpty ? [:] : ["content-type": "application/xml"], body: Data(body.utf8))
            let credentials = AWSCredentials(accessKeyID: "AKIDFLEETTEST", secretAccessKey: Secret("fleet-secret-never-printed"))
            request = SigV4Signer(credentials: credentials).sign(request, region: "us-east-1", service: "s3", date: Date(), signBodyHash: true)
            let response = try CurlTransport().sendBlocking(request)
            try #require(response.status == 200, "\(response.text)")
        }
    }

    static func etcdURL() throws -> URL {
        if let value = ProcessInfo.processInfo.environment["CATALYZE_ETCD_URL"], let url = URL(string: value) { return url }
        let text = (try? String(contentsOf: Emulators.environmentFile, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where line.contains("CATALYZE_ETCD_URL=") {
            if let url = URL(string: String(line.split(separator: "=", maxSplits: 1)[1])) { return url }
        }
        throw EmulatorsError.notStarted(variable: "CATALYZE_ETCD_URL")
    }
}
