import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on POSIX sockets: one request per connection, each connection on a
/// thread of its own (at most `limits.maxConnections`; one more is answered 503), every read
/// bounded by the limits' deadlines, so a slow or silent client costs one slot for at most
/// `requestTimeout`.
///
/// No SwiftNIO or other server package: the API answers a few requests a minute from the
/// platform's own services, and a package would cost minutes of every CI build and start-up time
/// for nothing this needs. TLS is not here either: a terminator in front (README) does it.
public final class HTTPServer: Sendable {
    /// Answers one request; `peer` is the client's address (or `unix` for a Unix socket).
    public typealias Handler = @Sendable (HTTPRequest, String) async -> HTTPResponse

    /// Why the server could not start.
    public struct StartFailure: Error, CustomStringConvertible {
        /// What went wrong, naming the address.
        public let description: String
    }

    /// The listening socket.
    private let socket: Int32
    /// Where it listens, with the port the system picked for port 0.
    public let address: ListenAddress
    private let limits: HTTPLimits
    private let handler: Handler
    private let active = Atomic<Int>(0)

    /// Binds and listens on `address` (a Unix socket's stale file is replaced; any other file at
    /// that path is refused).
    public init(address: ListenAddress, limits: HTTPLimits = .standard, handler: @escaping Handler) throws {
        self.limits = limits
        self.handler = handler
        switch address {
        case let .tcp(host, port):
            (socket, self.address) = try Self.bindTCP(host: host, port: port)
        case let .unix(path):
            socket = try Self.bindUnix(path: path)
            self.address = address
        }
    }

    /// Accepts connections until the process ends (on its own thread; returns only if accept fails for good).
    public func serve() {
        while true {
            let client = accept(socket, nil, nil)
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE {
                    if errno == EMFILE || errno == ENFILE { usleep(100_000) }
                    continue
                }
                return
            }
            let busy = active.wrappingAdd(1, ordering: .relaxed).newValue > limits.maxConnections
            let thread = Thread { [self] in
                defer { active.wrappingSubtract(1, ordering: .relaxed) }
                if busy {
                    send(HTTPResponse.error(503, "the server is busy: try again in a moment", headers: ["Retry-After": "1"]), to: client)
                    finish(client)
                } else {
                    serveConnection(client)
                }
            }
            thread.stackSize = 512 * 1024
            thread.start()
        }
    }

    /// Removes a Unix socket's file (at exit).
    public func removeSocketFile() {
        if case let .unix(path) = address { unlink(path) }
    }

    // MARK: one connection

    private func serveConnection(_ client: Int32) {
        let started = ContinuousClock.now
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var request: HTTPRequest?
        while request == nil {
            switch HTTPRequestParser.parse(buffer, limits: limits) {
            case .complete(let complete):
                request = complete
                continue
            case .failed(let status, let message):
                send(HTTPResponse.error(status, message), to: client)
                finish(client)
                return
            case .incomplete:
                break
            }
            let headDone = HTTPRequestParser.endOfHead(buffer) != nil
            let deadline = started + (headDone ? limits.requestTimeout : limits.headerTimeout)
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else {
                send(HTTPResponse.error(408, headDone ? "the body took too long to arrive" : "the headers took too long to arrive"), to: client)
                finish(client)
                return
            }
            var poller = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(Int64(Int32.max), max(1, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000)))
            let ready = poll(&poller, 1, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }  // the deadline check above answers 408
            let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count <= 0 {
                close(client)  // the client went away (or reset): nothing to answer
                return
            }
            buffer.append(contentsOf: chunk[0..<count])
        }
        let peer = peerName(client)
        let box = Mutex<HTTPResponse?>(nil)
        let done = DispatchSemaphore(value: 0)
        let handler = self.handler
        let received = request!
        Task {
            let response = await handler(received, peer)
            box.withLock { $0 = response }
            done.signal()
        }
        done.wait()
        send(box.withLock { $0 } ?? HTTPResponse.error(500, "no answer"), to: client)
        finish(client)
    }

    /// Writes the whole response, waiting at most 10 s for a client that does not read.
    private func send(_ response: HTTPResponse, to client: Int32) {
        let bytes = response.serialized
        var offset = 0
        let deadline = ContinuousClock.now + .seconds(10)
        while offset < bytes.count, ContinuousClock.now < deadline {
            var poller = pollfd(fd: client, events: Int16(POLLOUT), revents: 0)
            guard poll(&poller, 1, 1000) >= 0 || errno == EINTR else { return }
            if poller.revents & Int16(POLLOUT) == 0 { continue }
            let written = bytes.withUnsafeBytes { Glibc.send(client, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return
            }
            offset += written
        }
    }

    /// Ends the connection: no more writes, then a short drain of what the client still sends (so
    /// the close does not reset a response it has not read yet), then close.
    private func finish(_ client: Int32) {
        shutdown(client, Int32(SHUT_WR))
        var sink = [UInt8](repeating: 0, count: 4096)
        var drained = 0
        while drained < 256 * 1024 {
            var poller = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 500) > 0 else { break }
            let count = sink.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            drained += count
        }
        close(client)
    }

    private func peerName(_ client: Int32) -> String {
        guard case .tcp = address else { return "unix" }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(client, $0, &length) }
        }
        guard ok == 0 else { return "unknown" }
        return Self.describe(&storage)
    }

    // MARK: binding

    private static func bindTCP(host: String, port: UInt16) throws -> (Int32, ListenAddress) {
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else {
            throw StartFailure(description: "cannot listen on \(host):\(port): not a numeric address")
        }
        defer { freeaddrinfo(result) }
        let fd = Glibc.socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw StartFailure(description: "cannot make a socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw StartFailure(description: "cannot listen on \(host):\(port): \(reason)")
        }
        guard listen(fd, 64) == 0 else {
            close(fd)
            throw StartFailure(description: "cannot listen on \(host):\(port): \(String(cString: strerror(errno)))")
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        var bound = port
        if Int32(storage.ss_family) == AF_INET {
            bound = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) } }
        } else if Int32(storage.ss_family) == AF_INET6 {
            bound = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) } }
        }
        return (fd, .tcp(host: host, port: bound))
    }

    private static func bindUnix(path: String) throws -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.utf8.count < capacity else {
            throw StartFailure(description: "--socket \(path): longer than the \(capacity - 1) bytes a Unix socket path may have")
        }
        var info = stat()
        if lstat(path, &info) == 0 {
            // A socket left by a previous run is replaced; anything else is someone's file.
            guard info.st_mode & S_IFMT == S_IFSOCK else {
                throw StartFailure(description: "--socket \(path): a file that is not a socket is there; not replacing it")
            }
            unlink(path)
        }
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw StartFailure(description: "cannot make a socket: \(String(cString: strerror(errno)))") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
            raw[path.utf8.count] = 0
        }
        // 0660 from its creation: the owner and its group (a TLS terminator's), nobody else.
        let previous = umask(0o117)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        umask(previous)
        guard bound == 0, listen(fd, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw StartFailure(description: "cannot listen on \(path): \(reason)")
        }
        return fd
    }

    private static func describe(_ storage: inout sockaddr_storage) -> String {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let length = socklen_t(Int32(storage.ss_family) == AF_INET6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &host, socklen_t(host.count), &service, socklen_t(service.count), NI_NUMERICHOST | NI_NUMERICSERV)
            }
        }
        guard ok == 0 else { return "unknown" }
        return String(cString: host) + ":" + String(cString: service)
    }
}
