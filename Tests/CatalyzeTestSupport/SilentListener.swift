import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A TCP port on 127.0.0.1 that takes connections and never answers: the kernel completes each
/// handshake into the listen backlog, and nothing ever reads or writes. What a hung load
/// balancer or a stuck proxy looks like to a client.
public final class SilentListener: @unchecked Sendable {
    private let descriptor: Int32
    /// The port it listens on.
    public let port: Int

    /// Starts listening on a free port.
    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SilentListenerError(step: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw SilentListenerError(step: "bind/listen")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// `http://127.0.0.1:PORT`.
    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Closes the socket (connections in the backlog are reset).
    public func stop() { close(descriptor) }
}

/// A socket call failed while setting up a `SilentListener`.
public struct SilentListenerError: Error, CustomStringConvertible {
    let step: String
    public var description: String { "SilentListener: \(step) failed (errno \(errno))" }
}
