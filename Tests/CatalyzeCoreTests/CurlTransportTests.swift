import CatalyzeDrivers
import CatalyzeTestSupport
import Foundation
import Testing

/// The transport catalyze ships (libcurl): a real exchange with moto keeps status, headers and
/// body; a peer that accepts and never answers fails as `timedOut` (naming the URL and the
/// timeout, not its query); cancelling the waiting task ends the request. The binary's own bounded
/// wait, CPU included, is `WaitingEndToEndTests`.
@Suite struct CurlTransportTests {
    @Test func anExchangeWithMotoKeepsStatusHeadersAndBody() async throws {
        let moto = try Emulators.motoURL()
        // moto is shared by the whole suite and can be slow to answer under load: a generous timeout.
        let transport = CurlTransport(timeouts: NetworkTimeouts(connect: 30, request: 180))
        // EC2 Query API, unsigned: moto answers with an XML error (status and body are what matter).
        let request = HTTPRequest(
            method: "POST", url: moto, headers: ["content-type": "application/x-www-form-urlencoded; charset=utf-8"],
            body: Data("Action=DescribeRegions&Version=2016-11-15".utf8))
        let response = try await transport.send(request)
        #expect((200..<500).contains(response.status))
        #expect(!response.body.isEmpty)
        #expect(response.headers.keys.allSatisfy { $0 == $0.lowercased() }, "header names are lowercased")
        #expect(response.headers["content-type"] != nil, "\(response.headers)")
        // Many requests at once reuse the pooled handles.
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try await transport.send(request).status } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 8 && Set(statuses).count == 1)
    }

    @Test func aSilentPeerTimesOutAsTimedOutNamingTheURLWithoutItsQuery() async throws {
        let silent = try SilentListener()
        defer { silent.stop() }
        let transport = CurlTransport(timeouts: NetworkTimeouts(connect: 5, request: 1))
        let url = URL(string: "http://127.0.0.1:\(silent.port)/path?X-Amz-Signature=abc")!
        await #expect(throws: DriverError.timedOut(url: "http://127.0.0.1:\(silent.port)/path", phase: .answer, seconds: 1)) {
            _ = try await transport.send(HTTPRequest(method: "GET", url: url))
        }
        let error = DriverError.timedOut(url: "http://127.0.0.1:\(silent.port)/path", phase: .answer, seconds: 1)
        #expect(error.description.contains("within 1s") && error.description.contains("--request-timeout"))
    }

    /// Credentials never go to another origin: a redirect is not followed at all (the drivers call
    /// fixed API endpoints, and AWS and Rackspace answer their APIs without redirects), so the
    /// `Authorization`, `X-Amz-Security-Token` and `X-Auth-Token` of a request reach only the host
    /// it was signed for. The 307 comes back as the reply; nothing connects to the other origin.
    @Test func aRedirectToAnotherOriginIsNotFollowed() async throws {
        let elsewhere = try SilentListener()
        defer { elsewhere.stop() }
        let redirecting = try SilentListener()
        defer { redirecting.stop() }
        redirecting.answerEvery(with: "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:\(elsewhere.port)/steal\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        let transport = CurlTransport(timeouts: NetworkTimeouts(connect: 5, request: 5))
        let request = HTTPRequest(
            method: "GET", url: URL(string: "http://127.0.0.1:\(redirecting.port)/")!,
            headers: ["authorization": "AWS4-HMAC-SHA256 Credential=AKID/…", "x-amz-security-token": "token", "x-auth-token": "token"])
        let response = try await transport.send(request)
        #expect(response.status == 307)
        #expect(elsewhere.takeConnections() == 0, "the redirect's origin was never contacted")
    }

    @Test func aRefusedConnectionIsATransportError() async throws {
        let silent = try SilentListener()
        let port = silent.port
        silent.stop()  // nothing listens there any more
        await #expect(throws: DriverError.self) {
            _ = try await CurlTransport().send(HTTPRequest(method: "GET", url: URL(string: "http://127.0.0.1:\(port)/")!))
        }
    }

    @Test func cancellingTheCallerEndsTheRequest() async throws {
        let silent = try SilentListener()
        defer { silent.stop() }
        let transport = CurlTransport(timeouts: NetworkTimeouts(connect: 60, request: 60))
        let request = Task {
            try await transport.send(HTTPRequest(method: "GET", url: URL(string: "http://127.0.0.1:\(silent.port)/")!))
        }
        try await Task.sleep(for: .milliseconds(200))
        let start = ContinuousClock.now
        request.cancel()
        let result = await request.result
        // Liveness, not speed: libcurl checks its progress callback about once a second, but on a
        // loaded 2-core CI run (every suite at once, a thread per request) it took 28.7 s.
        #expect(ContinuousClock.now - start < .seconds(55))
        #expect(throws: CancellationError.self) { try result.get() }
    }
}
