import Foundation

/// The outcome of running an OpenSSH tool (`ssh`, `ssh-keygen`) to completion.
public struct SSHDCommandResult: Sendable {
    /// The exit status.
    public var status: Int32
    /// Everything written to standard output.
    public var output: String
    /// Everything written to standard error.
    public var errors: String
}

/// Runs OpenSSH tools for the access tests; they are the oracles (`ssh-keygen -L`, `-Q`, `-y`) and the client.
public enum SSHDCommand {
    /// Runs `executable` with `arguments`, standard input empty, and waits for it to exit.
    ///
    /// Output goes to temporary files, not pipes: a long-lived process started meanwhile (sshd) could
    /// inherit a pipe's write end and the read would never see end-of-file.
    public static func run(_ executable: String, _ arguments: [String]) throws -> SSHDCommandResult {
        let folder = try TemporaryDirectory(prefix: "catalyze-cmd")
        defer { folder.remove() }
        let outPath = folder.path("out")
        let errPath = folder.path("err")
        let pid = try SSHDSpawn.start(executable, arguments, logPath: outPath, errorPath: errPath)
        let status = SSHDSpawn.wait(pid)
        return SSHDCommandResult(
            status: status,
            output: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            errors: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// `ssh-keygen ARGS`.
    public static func sshKeygen(_ arguments: [String]) throws -> SSHDCommandResult {
        try run("/usr/bin/ssh-keygen", arguments)
    }

    /// Makes an unencrypted Ed25519 key pair at `path` and `path.pub` with `ssh-keygen`.
    public static func makeKeyPair(at path: String, comment: String = "engineer@test") throws {
        let result = try sshKeygen(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path])
        guard result.status == 0 else { throw SSHDError.toolFailed("ssh-keygen -t ed25519", result.errors) }
    }
}

/// Why the sshd test setup could not proceed. Tests fail with this text; nothing is skipped silently.
public enum SSHDError: Error, Sendable, CustomStringConvertible {
    /// OpenSSH is not installed.
    case notInstalled(String)
    /// A setup command failed.
    case toolFailed(String, String)
    /// sshd did not start listening.
    case didNotStart(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .notInstalled(let path): "\(path) is missing: run scripts/install-sshd.sh (installs openssh-server and openssh-client)"
        case let .toolFailed(command, errors): "\(command) failed: \(errors)"
        case .didNotStart(let log): "sshd did not start listening; its log:\n\(log)"
        }
    }
}
