// Apply of 20 pods through the fault proxy in front of moto: 50 ms latency on every request and a
// token bucket of 20 requests/s (burst 20) per action, as a throttled AWS region behaves. One AWS
// driver, new for the measured apply (one client-side bucket per action, set to the same 20/s and
// 90% of the burst), serves all 20 executors. A per-kind timeline of the apply is printed too.
//
// Lower bound = max(requests-bound, latency-bound):
//   requests-bound: for the busiest action, (requests − burst) ÷ 20/s;
//   latency-bound:  the wall time of one pod applied alone with the same latency and no throttle
//                   (its critical path × 50 ms, measured rather than estimated).
// Target: wall time ≤ 1.25 × bound, and no request failing for good (every apply complete).
// Also reported: refresh calls of one pod as it grows (5, 50, 500 resources' worth is checked by
// the AWS driver tests; here: the calls of one refresh of 1 pod and of 20 pods' worth in a region).
import Benchmark
import CatalyzeAWS
import CatalyzeCore
import CatalyzeModel
import CatalyzeDrivers
import CatalyzeExecutor
import CatalyzeManifest
import CatalyzePlanner
import CatalyzeState
import Foundation

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// A child process that dies with us (its stdin closes) and announces its port on stdout/stderr.
final class Peer: @unchecked Sendable {
    let process = Process()
    let input = Pipe()
    var port = 0

    init(_ arguments: [String], portPattern: String) throws {
        let python = root.appendingPathComponent(".venv-peers/bin/python").path
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        var text = ""
        while port == 0 {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw NSError(domain: "peer", code: 1, userInfo: [NSLocalizedDescriptionKey: text]) }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: portPattern, options: .regularExpression) {
                port = Int(text[range].split(whereSeparator: { !$0.isNumber }).last ?? "") ?? 0
            }
        }
        output.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
    }

    deinit { process.terminate() }
}

func proxyControl(_ port: Int, _ name: String, _ body: String? = nil) async throws -> [String: Any] {
    let reply = try await CurlTransport().send(HTTPRequest(
        method: body == nil ? "GET" : "POST", url: URL(string: "http://127.0.0.1:\(port)/__proxy/\(name)")!,
        headers: ["content-type": "application/json"], body: Data((body ?? "").utf8)))
    return (try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any]) ?? [:]
}

/// When each resource kind's actions started and finished during the measured apply (for the
/// report: where the wall time beyond the bound goes). Events only; nothing here is timed by it.
final class Timeline: @unchecked Sendable {
    private let lock = NSLock()
    private var start = ContinuousClock.now
    private var marks: [String: (first: Double, last: Double, count: Int)] = [:]

    func reset() { lock.withLock { start = .now; marks = [:] } }

    func record(_ event: ExecutionEvent) {
        let key: String
        switch event {
        case .started(let address, _): key = "\(address.kind) start"
        case .finished(let address, _, _, _): key = "\(address.kind) done"
        default: return
        }
        lock.withLock {
            let t = seconds(start.duration(to: .now))
            let mark = marks[key] ?? (t, t, 0)
            marks[key] = (min(mark.first, t), max(mark.last, t), mark.count + 1)
        }
    }

    var summary: String {
        lock.withLock {
            marks.sorted { $0.value.first < $1.value.first }
                .map { "\($0.key) \(String(format: "%.2f", $0.value.first))–\(String(format: "%.2f", $0.value.last)) s" }
                .joined(separator: "; ")
        }
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "Apply 20 pods via proxy (50 ms, 20 req/s per action): wall ÷ lower bound",
        configuration: .init(
            metrics: [.wallClock, .custom("wall ÷ bound ×100", useScalingFactor: false),
                      .custom("bound ms", useScalingFactor: false), .custom("failed applies", useScalingFactor: false)],
            warmupIterations: 0, maxDuration: .seconds(600), maxIterations: 1)
    ) { benchmark in
        let moto = try Peer([root.appendingPathComponent("Tests/Peers/run_moto.py").path, "--exit-on-stdin-eof", "-H", "127.0.0.1", "-p", "0"],
                            portPattern: #"Running on http://127\.0\.0\.1:\d+"#)
        let proxy = try Peer([root.appendingPathComponent("Tests/Peers/fault_proxy.py").path,
                              "--upstream", "http://127.0.0.1:\(moto.port)", "--latency-ms", "50", "--exit-on-stdin-eof"],
                             portPattern: #"listening on \d+"#)
        let seed = Process()
        seed.executableURL = URL(fileURLWithPath: root.appendingPathComponent(".venv-peers/bin/python").path)
        seed.arguments = [root.appendingPathComponent("scripts/seed-aws-fleet.py").path, "http://127.0.0.1:\(moto.port)",
                          "us-east-1", "--hosts", "10"]
        seed.standardOutput = FileHandle.nullDevice
        try seed.run()
        seed.waitUntilExit()

        let template = try String(contentsOf: root.appendingPathComponent("Tests/Fixtures/pods/single-region-aws.yaml"), encoding: .utf8)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("catalyze-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A driver keeps what it read once per region (hosts, default image, zones) and its buckets
        // for its life, as one CLI run does: the measured apply gets a driver of its own, unused.
        func makeDriver() -> AWSDriver {
            AWSDriver(
                configuration: AWSConfiguration(
                    credentials: AWSCredentials(accessKeyID: "AKIDBENCH", secretAccessKey: Secret("bench")),
                    endpoint: URL(string: "http://127.0.0.1:\(proxy.port)")!, rateLimit: (20, 20)),
                transport: CurlTransport(poolLimit: 64))
        }
        let driver = makeDriver()
        let engine = PodEngine(drivers: [.aws: driver], clock: SystemClock())
        // No TLS listener certificate is resolvable here: the pods use plain HTTP (the dev profile).
        func pod(_ n: Int) throws -> PodManifest {
            let text = template.replacingOccurrences(of: "acme-one", with: "bench-\(n)")
                .replacingOccurrences(of: "profile: hipaa", with: "profile: dev")
                .replacingOccurrences(of: "protocol: https", with: "protocol: http")
                .replacingOccurrences(of: "      certificate: file:certs/acme-prod.pem   # PEM bundle, read at apply time, never stored\n", with: "")
            guard let manifest = ManifestLoader.load(text: text, file: "bench-\(n).yaml").manifest else {
                throw NSError(domain: "bench", code: 2, userInfo: [NSLocalizedDescriptionKey: "bench manifest invalid"])
            }
            return manifest
        }
        func planPods(_ numbers: [Int]) async throws -> [(Plan, Lockfile, FileStateStore)] {
            var prepared: [(Plan, Lockfile, FileStateStore)] = []
            for n in numbers {
                let manifest = try pod(n)
                let store = FileStateStore(path: folder.appendingPathComponent("pod\(n).lock.json").path)
                let lockfile = try store.save(Lockfile.new(pod: manifest.pod.name, lineage: UUID().uuidString))
                let plan = try await engine.plan(manifest, lockfile: lockfile, sshCA: "", newLineage: lockfile.lineage).plan
                prepared.append((plan, lockfile, store))
            }
            return prepared
        }
        let timeline = Timeline()
        func applyPods(_ prepared: [(Plan, Lockfile, FileStateStore)], driver: AWSDriver) async -> Int {
            await withTaskGroup(of: Bool.self) { group in
                for (plan, lockfile, store) in prepared {
                    group.addTask {
                        let executor = Executor(
                            drivers: [.aws: driver], store: store, secrets: .none, clock: SystemClock(), events: { timeline.record($0) })
                        return await executor.apply(plan, lockfile: lockfile).0.complete
                    }
                }
                var failed = 0
                for await complete in group where !complete { failed += 1 }
                return failed
            }
        }

        let clock = ContinuousClock()
        // Plans are made first (they are reads, and `plan` is not what is measured); then the applies run.
        let first = try await planPods([0])
        let single = await clock.measure { _ = await applyPods(first, driver: makeDriver()) }
        let twenty = try await planPods(Array(1...20))
        _ = try await proxyControl(proxy.port, "reset", "{}")
        _ = try await proxyControl(proxy.port, "config", #"{"latency_ms": 50, "throttle": {"*": {"rate": 20, "burst": 20}}}"#)
        let measured = makeDriver()
        timeline.reset()
        benchmark.startMeasurement()
        let start = clock.now
        let failed = await applyPods(twenty, driver: measured)
        let wall = seconds(start.duration(to: clock.now))
        benchmark.stopMeasurement()
        let stats = try await proxyControl(proxy.port, "stats")
        let actions = stats["actions"] as? [String: [String: Any]] ?? [:]
        let counts = actions.mapValues { $0.values.compactMap { $0 as? Int }.reduce(0, +) }
        let busiest = counts.max { $0.value < $1.value }.map { ($0.key, $0.value) } ?? ("-", 0)
        let throttled = actions.values.reduce(0) { $0 + (($1["throttled"] as? Int) ?? 0) }
        print("requests per action:", counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        let rateBound = Double(max(0, busiest.1 - 20)) / 20
        let bound = max(rateBound, seconds(single))
        print("""
            apply of 20 pods: \(String(format: "%.2f", wall)) s; bound \(String(format: "%.2f", bound)) s \
            (requests: \(busiest.0) × \(busiest.1) → \(String(format: "%.2f", rateBound)) s; one pod alone: \
            \(String(format: "%.2f", seconds(single))) s); ratio \(String(format: "%.2f", wall / bound)); \
            throttled replies \(throttled); failed applies \(failed)
            """)
        print("timeline (first–last per kind):", timeline.summary)
        benchmark.measurement(.custom("wall ÷ bound ×100", useScalingFactor: false), Int(wall / bound * 100))
        benchmark.measurement(.custom("bound ms", useScalingFactor: false), Int(bound * 1000))
        benchmark.measurement(.custom("failed applies", useScalingFactor: false), failed)
    }
}
