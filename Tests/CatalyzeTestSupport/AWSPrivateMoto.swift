import Foundation

/// A moto server of one test's own, started with extra environment (e.g. signature checking on
/// with `INITIAL_NO_AUTH_ACTION_COUNT`), so that switching auth on never affects other tests.
public final class AWSPrivateMoto: @unchecked Sendable {
    /// Its base URL.
    public let url: URL
    private let process: Process

    private init(url: URL, process: Process) {
        self.url = url
        self.process = process
    }

    /// Starts `moto_server -H 127.0.0.1 -p 0` with `environment` added and waits for its port.
    public static func start(environment: [String: String]) async throws -> AWSPrivateMoto {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["moto_server", "-H", "127.0.0.1", "-p", "0"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        do {
            let port = try await Task.detached { try readPort(output.fileHandleForReading) }.value
            return AWSPrivateMoto(url: URL(string: "http://127.0.0.1:\(port)")!, process: process)
        } catch {
            process.terminate()
            throw error
        }
    }

    /// Stops the server. SIGKILL: a moto started from the test runner does not react to SIGTERM
    /// (the runner's blocked signals are inherited), and `waitUntilExit` would then wait forever.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    private static func readPort(_ handle: FileHandle) throws -> Int {
        var text = ""
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { throw AWSPrivateMotoError(output: text) }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: "Running on http://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits), text[range.upperBound...].count > digits.count { return port }
            }
        }
    }
}

/// moto exited before it announced its port.
public struct AWSPrivateMotoError: Error, CustomStringConvertible {
    /// What it printed.
    public let output: String
    /// One line.
    public var description: String { "moto_server did not start: \(output)" }
}
