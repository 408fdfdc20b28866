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
        let process = Process()
        let venvPython = repositoryRoot.appendingPathComponent(".venv-peers/bin/python")
        var arguments = [scriptURL.path, "--upstream", upstream.absoluteString, "--seed", String(seed),
                         "--exit-on-stdin-eof", "--max-lifetime", "1800"]
        if FileManager.default.isExecutableFile(atPath: venvPython.path) {
            process.executableURL = venvPython
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            arguments.insert("python3", at: 0)
        }
        process.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let port: Int
        do {
            port = try await Task.detached { try readPort(from: output.fileHandleForReading) }.value
        } catch {
            process.terminate()
            throw error
        }
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
        guard process.isRunning else { return }
        process.terminate()  // SIGTERM ends the proxy at once
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
    }

    deinit { stop() }

    private func control(_ method: String, _ name: String, body: Data? = nil) async throws -> Data {
        let reply = try await EmulatorHTTP.send(
            method, url.appendingPathComponent("__proxy/\(name)"),
            headers: ["Content-Type": "application/json"], body: body)
        guard reply.status == 200 else { throw FaultProxyError.control(status: reply.status, body: reply.text) }
        return reply.body
    }

    /// Reads the proxy's output until it says `listening on PORT`.
    private static func readPort(from handle: FileHandle) throws -> Int {
        var text = ""
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { throw FaultProxyError.didNotStart(output: text) }
            text += String(decoding: chunk, as: UTF8.self)
            for line in text.split(separator: "\n") where line.hasPrefix("listening on ") {
                if let port = Int(line.dropFirst("listening on ".count)) { return port }
            }
        }
    }
}

/// Why a ``FaultProxy`` call failed.
public enum FaultProxyError: Error, CustomStringConvertible {
    /// The proxy exited before it announced its port.
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
