import Foundation

/// Starts processes with `posix_spawn` and reaps them with `waitpid`.
///
/// Foundation's `Process` is not used on purpose: it learns that a child exited when the child's end of
/// a private socket closes, and sshd closes every inherited descriptor at start-up, so Foundation would
/// take sshd for dead and block its one monitoring thread in `waitpid` until sshd really exits, stalling
/// every other `Process` in the test run.
public enum SSHDSpawn {
    /// Spawns `executable` with `arguments`; stdin is /dev/null, stdout appends to `logPath`, and stderr
    /// to `errorPath` (or to `logPath` too when nil).
    public static func start(_ executable: String, _ arguments: [String], logPath: String, errorPath: String? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        if let errorPath {
            posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        // Keep no other descriptor: a copy of another `Process`'s private socket held by a long-lived
        // sshd would hide that process's exit from Foundation until sshd stops.
        if let closeFrom { _ = closeFrom(&actions, 3) }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard result == 0 else {
            throw SSHDError.toolFailed("posix_spawn \(executable)", String(cString: strerror(result)))
        }
        return pid
    }

    /// glibc ≥ 2.34's `posix_spawn_file_actions_addclosefrom_np`, which the Swift Glibc module does not export.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFrom: CloseFrom? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    /// Waits for `pid` to exit; its exit status, or 128 + signal number when a signal ended it.
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { return -1 }
        }
        return decode(status)
    }

    /// The exit status when `pid` has exited (reaping it), nil while it runs.
    public static func poll(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == 0 { return nil }
        return result == pid ? decode(status) : -1
    }

    private static func decode(_ status: Int32) -> Int32 {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}
