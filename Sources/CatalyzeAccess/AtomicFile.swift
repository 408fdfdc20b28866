import Foundation

/// Whole-file writes that never leave a half-written file behind, and an exclusive create.
///
/// No write follows a symbolic link: the temporary file is created with `O_EXCL` (which fails on
/// any existing name, a link included) and renamed over `path` (which replaces a link at `path`
/// itself, never its target), and the file has its final `mode` from its creation.
public enum AtomicFile {
    /// Writes `bytes` to a temporary file beside `path` with `mode`, fsyncs it, renames it over `path`,
    /// then fsyncs the folder. Readers see the old file or the new one, never a mix.
    public static func replace(_ path: String, with bytes: [UInt8], mode: mode_t) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        unlink(temporary)
        try writeNew(bytes, to: temporary, mode: mode)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw AccessError.io(path: path, operation: "replace", reason: reason)
        }
        let folderDescriptor = open(folder, O_RDONLY)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// Creates `path` (failing if it exists) with exactly `mode`, writes `bytes` and fsyncs.
    static func writeNew(_ bytes: [UInt8], to path: String, mode: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw AccessError.fileExists(path: path) }
            throw AccessError.io(path: path, operation: "create", reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        guard fchmod(descriptor, mode) == 0 else {
            throw AccessError.io(path: path, operation: "set the mode of", reason: String(cString: strerror(errno)))
        }
        try writeAll(bytes, to: descriptor, path: path)
        guard fsync(descriptor) == 0 else {
            throw AccessError.io(path: path, operation: "sync", reason: String(cString: strerror(errno)))
        }
    }

    /// Writes every byte to an open descriptor, retrying short writes.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                throw AccessError.io(path: path, operation: "write", reason: String(cString: strerror(errno)))
            }
            written += result
        }
    }

    /// Why an `open` failed, in words; `ELOOP` (from `O_NOFOLLOW`) says what it means here.
    static func openFailure(_ code: Int32) -> String {
        code == ELOOP ? "it is a symbolic link; catalyze does not write through links in a state folder" : String(cString: strerror(code))
    }

    /// Reads a whole file, or nil when it does not exist.
    static func read(_ path: String) throws -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do { return Array(try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw AccessError.io(path: path, operation: "read", reason: error.localizedDescription)
        }
    }
}

/// An exclusive `flock` on the access folder's lock file, held while a command changes its files.
final class AccessFolderLock {
    private let descriptor: Int32

    /// Blocks until the lock on `path` is held.
    init(path: String) throws {
        // O_NOFOLLOW: a symbolic link planted at the lock's name is refused, not written through.
        descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw AccessError.io(path: path, operation: "open the lock file", reason: AtomicFile.openFailure(errno))
        }
        guard flock(descriptor, LOCK_EX) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw AccessError.io(path: path, operation: "lock", reason: reason)
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
