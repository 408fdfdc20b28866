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

    /// How many connections wait in the backlog (each is taken and closed): whether anything
    /// connected at all, since the kernel completes the handshakes without the listener.
    public func takeConnections() -> Int {
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(descriptor, F_SETFL, flags) }
        var count = 0
        while true {
            let connection = accept(descriptor, nil, nil)
            if connection < 0 { return count }
            close(connection)
            count += 1
        }
    }

    /// Answers every connection with `reply` (raw HTTP/1.1 bytes) once its request head has
    /// arrived, then closes it, on a thread of its own until `stop()`. What a peer that always
    /// answers the same (a redirect, an error page) looks like.
    public func answerEvery(with reply: String) {
        let descriptor = self.descriptor
        let thread = Thread {
            while true {
                let connection = accept(descriptor, nil, nil)
                if connection < 0 { return }
                var head = [UInt8]()
                var buffer = [UInt8](repeating: 0, count: 4096)
                while !head.suffix(4).elementsEqual([13, 10, 13, 10]) {
                    let got = read(connection, &buffer, buffer.count)
                    if got <= 0 { break }
                    head += buffer[0..<got]
                }
                let bytes = Array(reply.utf8)
                _ = bytes.withUnsafeBufferPointer { write(connection, $0.baseAddress, $0.count) }
                close(connection)
            }
        }
        thread.start()
    }
}

/// A socket call failed while setting up a `SilentListener`.
public struct SilentListenerError: Error, CustomStringConvertible {
    let step: String
    public var description: String { "SilentListener: \(step) failed (errno \(errno))" }
}
