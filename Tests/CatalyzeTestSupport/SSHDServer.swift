import Foundation

/// A real OpenSSH server for the access tests: `/usr/sbin/sshd -D -e -f CONFIG` on a free port, listening
/// on 127.0.0.1 and 127.0.0.2, with its own host key and the host configuration lines under test.
public final class SSHDServer: @unchecked Sendable {
    /// The port it listens on.
    public let port: Int
    /// The local account tests log in as.
    public let loginUser: String
    /// Its host key's private half; the public half is `hostKey + ".pub"`.
    public let hostKey: String
    private let pid: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?
    private let logPath: String

    /// Starts sshd in `folder` with `hostConfiguration` (e.g. `TrustedUserCAKeys …`) appended to a
    /// loopback-only, certificate-only base configuration. Waits until it listens on both addresses.
    /// `otherUsers` may log in too (e.g. the KRL push account). `port` reuses a port (a replaced host
    /// at the same address: a new sshd, with a new host key, where a stopped one listened).
    public init(
        folder: TemporaryDirectory, hostConfiguration: [String], loginUser: String = SSHDTestUser.name, otherUsers: [String] = [],
        port reused: Int? = nil
    ) throws {
        for tool in ["/usr/sbin/sshd", "/usr/bin/ssh", "/usr/bin/ssh-keygen"]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            throw SSHDError.notInstalled(tool)
        }
        try SSHDTestUser.ensureExists(loginUser)
        for user in otherUsers { try SSHDTestUser.ensureExists(user) }
        try SSHDRuntime.prepare()
        hostKey = folder.path("ssh_host_ed25519_key")
        try SSHDCommand.makeKeyPair(at: hostKey, comment: "sshd-test-host")
        port = try reused ?? Self.freePort()
        self.loginUser = loginUser
        logPath = folder.path("sshd.log")
        let base = [
            "Port \(port)",
            "ListenAddress 127.0.0.1",
            "ListenAddress 127.0.0.2",
            "HostKey \(hostKey)",
            "PidFile none",
            "UsePAM no",
            "StrictModes no",
            "LogLevel VERBOSE",
            "AllowUsers \(([loginUser] + otherUsers).joined(separator: " "))",
            "MaxStartups 50",
        ]
        let configPath = folder.path("sshd_config")
        try (base + hostConfiguration).joined(separator: "\n").appending("\n")
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        pid = try SSHDSpawn.start("/usr/sbin/sshd", ["-D", "-e", "-f", configPath], logPath: logPath)
        guard waitForLog({ $0.contains("Server listening on 127.0.0.1") && $0.contains("Server listening on 127.0.0.2") })
        else {
            stop()
            throw SSHDError.didNotStart(log)
        }
    }

    /// Everything sshd has logged so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Polls the log (up to `seconds`) until `condition` holds; false when it never does or sshd exited.
    @discardableResult
    public func waitForLog(seconds: Double = 10, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(log) { return true }
            if !isRunning { return condition(log) }
            usleep(20_000)
        }
        return condition(log)
    }

    /// Runs `ssh … user@127.0.0.1 true` with `identity` and its `certificate`, binding to `bindAddress`.
    public func login(identity: String, certificate: String, from bindAddress: String = "127.0.0.1") throws -> SSHDCommandResult {
        try SSHDCommand.run("/usr/bin/ssh", [
            "-F", "/dev/null", "-n",
            "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "ConnectTimeout=10",
            "-o", "LogLevel=ERROR", "-i", identity, "-o", "CertificateFile=\(certificate)",
            "-b", bindAddress, "-p", String(port), "\(loginUser)@127.0.0.1", "true",
        ])
    }

    /// True until sshd has exited.
    public var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        if exitStatus == nil { exitStatus = SSHDSpawn.poll(pid) }
        return exitStatus == nil
    }

    /// Stops sshd (SIGTERM) and reaps it.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard exitStatus == nil else { return }
        kill(pid, SIGTERM)
        exitStatus = SSHDSpawn.wait(pid)
    }

    deinit { stop() }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SSHDError.toolFailed("socket()", String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw SSHDError.toolFailed("bind()", String(cString: strerror(errno))) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
