import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a manifest's bytes, refusing what cannot be a manifest before reading it whole: a
/// directory, standard input (`-`), or more than `maximumBytes` (checked with `fstat` for a file,
/// and by reading at most one byte past the limit from a pipe or device, so `<(…)` works and a
/// never-ending stream cannot fill memory).
enum ManifestFile {
    /// The largest manifest accepted: 1 MiB. A pod manifest is a few kilobytes; parsing many
    /// megabytes of YAML takes seconds and hundreds of megabytes of memory.
    static let maximumBytes = 1 << 20

    /// What reading found.
    enum Outcome {
        /// The whole file, at most the limit.
        case read(Data)
        /// Why it is not read.
        case refused(ManifestIssue)
    }

    /// The file's bytes, or the issue that says why not.
    static func contents(path: String, limit: Int = maximumBytes) -> Outcome {
        if path == "-" { return .refused(.notAFile(path: path, kind: .standardInput)) }
        // A blocking open: for a pipe (`<(…)`) it waits for the writer, as `cat` does.
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let reason = errno == ENOENT ? "no such file" : errno == EACCES ? "permission denied" : String(cString: strerror(errno))
            return .refused(.unreadable(reason: reason))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .refused(.unreadable(reason: String(cString: strerror(errno)))) }
        switch status.st_mode & mode_t(S_IFMT) {
        case mode_t(S_IFDIR):
            return .refused(.notAFile(path: path, kind: .directory))
        case mode_t(S_IFREG):
            if Int(status.st_size) > limit { return .refused(.tooLarge(bytes: Int(status.st_size), limit: limit)) }
        default:
            break  // a pipe or a device: bounded by reading below
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while data.count <= limit {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, min($0.count, limit + 1 - data.count)) }
            if count < 0 {
                if errno == EINTR { continue }
                return .refused(.unreadable(reason: String(cString: strerror(errno))))
            }
            if count == 0 { break }
            data.append(buffer, count: count)
        }
        if data.count > limit { return .refused(.tooLarge(bytes: nil, limit: limit)) }
        return .read(data)
    }
}

/// What a manifest path named instead of a file.
public enum ManifestSourceKind: String, Hashable, Sendable {
    /// A directory.
    case directory
    /// `-`: standard input.
    case standardInput
}
