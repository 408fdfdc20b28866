#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX file operations the file store needs, with errors that name the path.
enum FileSystem {
    /// An open file's contents and permission bits.
    struct Contents {
        var bytes: [UInt8]
        var mode: Int
    }

    /// Opens `path` (nil when it does not exist), runs `body`, closes.
    static func withOpenFile<T>(
        _ path: String, flags: Int32, mode: mode_t = 0o600, _ body: (Int32) throws(StateError) -> T
    ) throws(StateError) -> T? {
        let fd = open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw .io(path: path, operation: "open", errno: errno)
        }
        defer { close(fd) }
        return try body(fd)
    }

    /// Reads a whole regular file (nil when it does not exist).
    static func read(_ path: String) throws(StateError) -> Contents? {
        try readPrefix(path, limit: .max)?.contents
    }

    /// Reads the first `limit` bytes of a regular file (fewer when it is shorter; nil when it does
    /// not exist), and whether that was the whole file.
    static func readPrefix(_ path: String, limit: Int) throws(StateError) -> (contents: Contents, complete: Bool)? {
        try withOpenFile(path, flags: O_RDONLY) { fd throws(StateError) in
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw .io(path: path, operation: "stat", errno: errno) }
            guard (info.st_mode & S_IFMT) == S_IFREG else { throw .io(path: path, operation: "read a non-file", errno: EISDIR) }
            let bytes = try readAll(fd, path: path, sizeHint: min(Int(info.st_size), limit), limit: limit)
            return (Contents(bytes: bytes, mode: Int(info.st_mode & 0o7777)), bytes.count < limit)
        }
    }

    /// Reads from the start of an open file to its end, or to `limit` bytes.
    static func readAll(_ fd: Int32, path: String, sizeHint: Int, limit: Int = .max) throws(StateError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: min(max(sizeHint, 0) + 1, limit))
        var filled = 0
        while filled < limit {
            if filled == bytes.count {
                bytes.append(contentsOf: repeatElement(0, count: min(max(bytes.count, 4096), limit - bytes.count)))
            }
            let got = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress! + filled, buffer.count - filled, off_t(filled))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "read", errno: errno)
            }
            if got == 0 { break }
            filled += got
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Writes every byte to an open file, from its current offset.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StateError) {
        var written = 0
        while written < bytes.count {
            let wrote = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + written, buffer.count - written)
            }
            if wrote < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "write", errno: errno)
            }
            written += wrote
        }
    }

    /// fsync, naming the path on failure.
    static func sync(_ fd: Int32, path: String) throws(StateError) {
        guard fsync(fd) == 0 else { throw .io(path: path, operation: "fsync", errno: errno) }
    }

    /// Makes a rename or unlink in `path`'s folder durable.
    static func syncFolder(of path: String) throws(StateError) {
        let folder = parentFolder(path)
        _ = try withOpenFile(folder, flags: O_RDONLY | O_DIRECTORY) { fd throws(StateError) in
            try sync(fd, path: folder)
        }
    }

    /// The folder part of a path (`.` for a bare name).
    static func parentFolder(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// rename(2), naming the paths on failure.
    static func move(_ from: String, _ to: String) throws(StateError) {
        guard rename(from, to) == 0 else { throw .io(path: to, operation: "rename \(from) to", errno: errno) }
    }

    /// The device and inode of a path (nil when it does not exist).
    static func identity(_ path: String) -> (UInt64, UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// The device and inode of an open file.
    static func identity(_ fd: Int32) -> (UInt64, UInt64)? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// Whether a process with this id runs on this host (a process of another user counts).
    static func processIsRunning(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
