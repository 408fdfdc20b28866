import Foundation

/// A program running in the background whose standard output can be read while it runs, for tests
/// that act on what a long command has printed so far (and then let it finish).
public final class StreamingCommand: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var output = Data()
    private var errors = Data()

    /// Starts `executable` with `arguments` in `directory`, `environment` added to this process's.
    public init(_ executable: String, _ arguments: [String], in directory: URL, environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock()
            self.output.append(data)
            self.lock.unlock()
        }
        err.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock()
            self.errors.append(data)
            self.lock.unlock()
        }
        try process.run()
    }

    /// Standard output so far.
    public var stdout: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: output, as: UTF8.self)
    }

    /// Standard error so far.
    public var stderr: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: errors, as: UTF8.self)
    }

    /// Polls every 100 ms, at most `timeout`, until `condition` holds for the output so far; false
    /// when time ran out or the program ended without it.
    public func wait(upTo timeout: Duration, until condition: (String) -> Bool) async throws -> Bool {
        let rounds = Int(timeout / .milliseconds(100))
        for _ in 0..<max(1, rounds) {
            if condition(stdout) { return true }
            if !process.isRunning { return condition(stdout) }
            try await Task.sleep(for: .milliseconds(100))
        }
        return condition(stdout)
    }

    /// Sends it SIGTERM (a service manager's stop).
    public func terminate() {
        if process.isRunning { process.terminate() }
    }

    /// Waits at most `timeout` for the program to end (then kills it); its exit status, or nil
    /// when it had to be killed.
    public func finish(upTo timeout: Duration) async throws -> Int32? {
        let rounds = Int(timeout / .milliseconds(100))
        for _ in 0..<max(1, rounds) where process.isRunning {
            try await Task.sleep(for: .milliseconds(100))
        }
        guard !process.isRunning else {
            process.terminate()
            return nil
        }
        // The last bytes may still be in the pipe when the process ends.
        try await Task.sleep(for: .milliseconds(200))
        return process.terminationStatus
    }
}
