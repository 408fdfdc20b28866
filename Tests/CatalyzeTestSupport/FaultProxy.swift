import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A running `Tests/Peers/fault_proxy.py` in front of an upstream (usually moto): it adds latency,
/// throttles per AWS action, injects 500/503 replies and connection resets, and counts requests.
///
/// Each test starts its own proxy (`FaultProxy.start`), points its driver at ``url`` and calls
/// ``stop()`` at the end. The proxy also exits by itself when this process goes away.
public final class FaultProxy: @unchecked Sendable {
    /// The proxy's base URL (`http://127.0.0.1:PORT`): send AWS requests here instead of upstream.
    public let url: URL
    private let process: Process
    private let input: Pipe
    private let lock = NSLock()
    private var stopped = false

    private init(url: URL, process: Process, input: Pipe) {
        self.url = url
        self.process = process
        self.input = input
    }

    /// The proxy script in the repository.
    public static var scriptURL: URL {
        repositoryRoot.appendingPathComponent("Tests/Peers/fault_proxy.py")
    }

    /// Starts a proxy on a free port of 127.0.0.1 forwarding to `upstream`, with `seed` fixing the
    /// fate of the n-th request of every action, and `configuration` in force from the start.
    public static func start(
        upstream: URL, seed: Int = 0, configuration: Configuration = Configuration()
    ) async throws -> FaultProxy {
        let folder = try TemporaryDirectory(prefix: "catalyze-fault-proxy")
        let portFile = folder.path("port")
        let process = Process()
        let venvPython = repositoryRoot.appendingPathComponent(".venv-peers/bin/python")
        var arguments = [scriptURL.path, "--upstream", upstream.absoluteString, "--seed", String(seed),
                         "--port-file", portFile, "--exit-on-stdin-eof", "--max-lifetime", "1800"]
        if FileManager.default.isExecutableFile(atPath: venvPython.path) {
            process.executableURL = venvPython
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            arguments.insert("python3", at: 0)
        }
        process.arguments = arguments
        // Its standard input stays open as long as this process lives: EOF tells the proxy to exit.
        let input = Pipe()
        process.standardInput = input
        let log = folder.path("proxy.log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        try? logHandle.close()
        // Wait for the port file without blocking a thread (no pipe reads on the cooperative pool).
        var port: Int?
        for _ in 0..<500 where port == nil {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8) {
                port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            } else if !process.isRunning {
                break
            } else {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        guard let port else {
            process.terminate()
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            folder.remove()
            throw FaultProxyError.didNotStart(output: output)
        }
        folder.remove()
        let proxy = FaultProxy(
            url: URL(string: "http://127.0.0.1:\(port)")!, process: process, input: input)
        if configuration != Configuration() { try await proxy.configure(configuration) }
        return proxy
    }

    /// Merges `configuration` (only its non-nil fields) into the proxy's configuration.
    @discardableResult
    public func configure(_ configuration: Configuration) async throws -> Configuration {
        let body = try JSONEncoder().encode(configuration)
        let reply = try await control("POST", "config", body: body)
        return try JSONDecoder().decode(Configuration.self, from: reply)
    }

    /// The requests counted so far, per action and outcome.
    public func stats() async throws -> Stats {
        try JSONDecoder().decode(Stats.self, from: try await control("GET", "stats"))
    }

    /// Back to the start-up configuration; stats, token buckets and per-action fates cleared.
    public func reset() async throws {
        _ = try await control("POST", "reset")
    }

    /// Stops the proxy (idempotent).
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        if process.isRunning { process.terminate() }  // SIGTERM ends the proxy at once
        try? input.fileHandleForWriting.close()
    }

    deinit { stop() }

    func control(_ method: String, _ name: String, body: Data? = nil) async throws -> Data {
        let reply = try await EmulatorHTTP.send(
            method, url.appendingPathComponent("__proxy/\(name)"),
            headers: ["Content-Type": "application/json"], body: body)
        guard reply.status == 200 else { throw FaultProxyError.control(status: reply.status, body: reply.text) }
        return reply.body
    }
}

/// Why a ``FaultProxy`` call failed.
public enum FaultProxyError: Error, CustomStringConvertible {
    /// The proxy exited (or took over 10 s) before it announced its port; `output` is its log.
    case didNotStart(output: String)
    /// A control endpoint answered with an error.
    case control(status: Int, body: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .didNotStart(let output): return "the fault proxy did not start: \(output)"
        case .control(let status, let body): return "the fault proxy refused the call (HTTP \(status)): \(body)"
        }
    }
}
