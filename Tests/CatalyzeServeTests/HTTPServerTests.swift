import CatalyzeServe
import CatalyzeTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The server on real sockets: it answers, it bounds a slow client's time and an oversized body,
/// and it serves a Unix socket. Clients block, so they run off the cooperative pool (`offPool`).
@Suite struct HTTPServerTests {
    static let quick = HTTPLimits(
        maxHeaderBytes: 4096, maxHeaderCount: 20, maxBodyBytes: 64, headerTimeout: .seconds(1), requestTimeout: .seconds(2),
        maxConnections: 4)

    /// Starts a server whose handler echoes method, path and body.
    func start(_ address: ListenAddress) throws -> HTTPServer {
        let server = try HTTPServer(address: address, limits: Self.quick) { request, _ in
            HTTPResponse(status: 200, contentType: "text/plain", body: Array("\(request.method) \(request.path) ".utf8) + request.body)
        }
        Thread { server.serve() }.start()
        return server
    }

    /// Connects, sends `parts` (pausing `pause` between them), reads to the end (at most 20 s).
    static func exchange(_ address: ListenAddress, _ parts: [String], pause: Duration = .zero) throws -> String {
        let fd: Int32
        switch address {
        case let .tcp(_, port):
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var peer = sockaddr_in()
            peer.sin_family = sa_family_t(AF_INET)
            peer.sin_port = port.bigEndian
            peer.sin_addr.s_addr = inet_addr("127.0.0.1")
            let ok = withUnsafePointer(to: &peer) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            try #require(ok == 0, "connect")
        case let .unix(path):
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var peer = sockaddr_un()
            peer.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &peer.sun_path) { raw in
                for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
            }
            let ok = withUnsafePointer(to: &peer) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
            try #require(ok == 0, "connect")
        }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        for (index, part) in parts.enumerated() {
            if index > 0 && pause > .zero { Thread.sleep(forTimeInterval: Double(pause.components.seconds)) }
            _ = Array(part.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < 1_000_000 {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test func answersAndBoundsClients() async throws {
        let server = try start(.tcp(host: "127.0.0.1", port: 0))
        let address = server.address
        let answer = try await offPool { try Self.exchange(address, ["PUT /v1/x HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi"]) }
        #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n") && answer.contains("Connection: close") && answer.hasSuffix("PUT /v1/x hi"), "\(answer)")

        let large = try await offPool { try Self.exchange(address, ["PUT /v1/x HTTP/1.1\r\nContent-Length: 65\r\n\r\n"]) }
        #expect(large.hasPrefix("HTTP/1.1 413 "), "\(large)")

        // A client that sends half its headers and stops is answered 408 once the header time
        // (1 s here) is up, and its slot freed; bounded by the client's own 20 s.
        let slow = try await offPool { try Self.exchange(address, ["GET /v1/x HTTP/1.1\r\n"]) }
        #expect(slow.hasPrefix("HTTP/1.1 408 "), "\(slow)")
        // One that sends its headers and never the body: 408 at the request time (2 s here).
        let noBody = try await offPool { try Self.exchange(address, ["PUT /v1/x HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"]) }
        #expect(noBody.hasPrefix("HTTP/1.1 408 "), "\(noBody)")
    }

    @Test func servesAUnixSocket() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cs-\(UInt32.random(in: 0...UInt32.max)).sock").path
        let server = try start(.unix(path: path))
        defer { server.removeSocketFile() }
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o660)
        let answer = try await offPool { try Self.exchange(.unix(path: path), ["GET /v1/health HTTP/1.1\r\n\r\n"]) }
        #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n") && answer.hasSuffix("GET /v1/health "), "\(answer)")
    }
}
