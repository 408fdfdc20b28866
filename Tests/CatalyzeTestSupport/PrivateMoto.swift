import Foundation

/// A moto server of the test's own, on a free port of 127.0.0.1, for tests that drive the
/// `catalyze` binary (which cannot send moto's per-test account header) or that switch moto's
/// signature checking on (`INITIAL_NO_AUTH_ACTION_COUNT`): a private server isolates them from
/// every other test. It exits when its standard input closes (`stop()`, or this process ending):
/// a moto started from the test runner ignores SIGTERM (the runner's blocked signals are inherited),
/// and Foundation's `waitUntilExit` is never called, since it can spin forever.
public final class PrivateMoto: @unchecked Sendable {
    /// Its endpoint.
    public let url: URL
    private let process: Process

    private init(url: URL, process: Process) {
        self.url = url
        self.process = process
    }

    /// The venv's python (scripts/setup.sh makes it) or the system's.
    public static var python: String {
        let venv = repositoryRoot.appendingPathComponent(".venv-peers/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "/usr/bin/python3"
    }

    /// Starts moto with `environment` added to this process's, and waits until it announces its port.
    public static func start(environment: [String: String] = [:]) async throws -> PrivateMoto {
        let process = Process()
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.executableURL = URL(fileURLWithPath: python)
        // moto through catalyze's launcher (Tests/Peers/run_moto.py: moto plus catalyze's extension,
        // AWS Backup selections and EC2 VPN routes), run so that it dies with its parent's pipe.
        let launcher = repositoryRoot.appendingPathComponent("Tests/Peers/run_moto.py").path
        process.arguments = [launcher, "--exit-on-stdin-eof", "-H", "127.0.0.1", "-p", "0"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Read its output on a Dispatch thread, never on the cooperative pool (2 threads on this
        // machine): a blocked pool thread stalls every other test.
        let port: Int = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var text = ""
                let deadline = Date().addingTimeInterval(30)
                while Date() < deadline {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    text += String(decoding: chunk, as: UTF8.self)
                    if let range = text.range(of: #"Running on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                       let port = Int(text[range].split(separator: ":").last.map(String.init) ?? "") {
                        continuation.resume(returning: port)
                        return
                    }
                }
                continuation.resume(throwing: PrivateMotoError(output: text))
            }
        }
        // Keep draining its log so it never blocks on a full pipe.
        output.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
        withExtendedLifetime(input) {}
        let moto = PrivateMoto(url: URL(string: "http://127.0.0.1:\(port)")!, process: process)
        moto.input = input
        return moto
    }

    private var input: Pipe?

    /// Stops the server.
    public func stop() {
        if process.isRunning { process.terminate() }
        try? input?.fileHandleForWriting.close()
    }

    deinit { stop() }
}

/// moto did not start.
public struct PrivateMotoError: Error, CustomStringConvertible {
    /// What it printed.
    public let output: String
    /// One line.
    public var description: String { "moto server did not start: \(output.suffix(500))" }
}

/// Runs a program to completion and returns its exit status and output (stdout + stderr kept apart).
public struct CommandResult: Sendable {
    /// Exit status.
    public var status: Int32
    /// Standard output.
    public var stdout: String
    /// Standard error.
    public var stderr: String
}

/// Runs `executable` with `arguments` in `directory`, with `environment` added to this process's.
/// Waits without blocking a thread of the cooperative pool (the output is read on Dispatch threads).
public func runCommand(
    _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
) async throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    return try await withCheckedThrowingContinuation { continuation in
        let outData = Mutable(Data()), errData = Mutable(Data())
        let group = DispatchGroup()
        group.enter()
        process.terminationHandler = { _ in group.leave() }
        do { try process.run() } catch {
            continuation.resume(throwing: error)
            return
        }
        for (pipe, box) in [(out, outData), (err, errData)] {
            group.enter()
            DispatchQueue.global().async {
                box.value = pipe.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }
        }
        group.notify(queue: .global()) {
            continuation.resume(returning: CommandResult(
                status: process.terminationStatus, stdout: String(decoding: outData.value, as: UTF8.self),
                stderr: String(decoding: errData.value, as: UTF8.self)))
        }
    }
}

private final class Mutable<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// The `catalyze` binary built next to the test bundle.
public var catalyzeBinary: String {
    let debug = repositoryRoot.appendingPathComponent(".build/debug/catalyze").path
    return debug
}
