import CatalyzeServe
import Testing

/// The request parser against RFC 9112's framing rules and the server's limits.
@Suite struct HTTPRequestParserTests {
    static let limits = HTTPLimits(
        maxHeaderBytes: 256, maxHeaderCount: 5, maxBodyBytes: 32, headerTimeout: .seconds(10), requestTimeout: .seconds(20),
        maxConnections: 4)

    func parse(_ text: String) -> HTTPRequestParser.Outcome {
        HTTPRequestParser.parse(Array(text.utf8), limits: Self.limits)
    }

    func status(_ text: String) -> Int? {
        if case .failed(let status, _) = parse(text) { return status }
        return nil
    }

    @Test func aGetWithHeadersAndQuery() throws {
        let outcome = parse("GET /v1/pods/acme/access?x=1 HTTP/1.1\r\nHost: a\r\nAuthorization:  Bearer  abc \r\n\r\n")
        guard case .complete(let request) = outcome else { Issue.record("\(outcome)"); return }
        #expect(request.method == "GET" && request.path == "/v1/pods/acme/access" && request.query == "x=1")
        #expect(request.header("HOST") == "a")
        #expect(request.bearerToken == "abc")
        #expect(request.body.isEmpty)
    }

    @Test func aBodyArrivingInPieces() throws {
        let whole = "PUT /v1/pods/acme/access/logging HTTP/1.1\r\nContent-Length: 16\r\n\r\n{\"enabled\":true}"
        let bytes = Array(whole.utf8)
        for cut in [10, bytes.count - 16, bytes.count - 1] {
            #expect(HTTPRequestParser.parse(Array(bytes[..<cut]), limits: Self.limits) == .incomplete, "cut at \(cut)")
        }
        guard case .complete(let request) = HTTPRequestParser.parse(bytes, limits: Self.limits) else { Issue.record("not complete"); return }
        #expect(String(decoding: request.body, as: UTF8.self) == "{\"enabled\":true}")
    }

    @Test func limitsAnswerWithTheirStatus() {
        // Headers that never end, past the limit: 431 before the end is seen.
        #expect(status("GET / HTTP/1.1\r\nX-Long: " + String(repeating: "a", count: 300)) == 431)
        #expect(status("GET / HTTP/1.1\r\n" + (1...6).map { "X-\($0): v\r\n" }.joined() + "\r\n") == 431)
        // A body over the limit is refused from its Content-Length, before it is read.
        #expect(status("PUT /x HTTP/1.1\r\nContent-Length: 33\r\n\r\n") == 413)
        #expect(status("PUT /x HTTP/1.1\r\n\r\n") == 411)
    }

    @Test func ambiguousFramingIsRefused() {
        #expect(status("PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") == 501)
        #expect(status("PUT /x HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab") == 400)
        #expect(status("PUT /x HTTP/1.1\r\nContent-Length: +2\r\n\r\nab") == 400)
        #expect(status("GET / HTTP/1.1\r\nX-A: 1\r\n folded\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nX-A : 1\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nX-A: 1\n2\r\n\r\n") == 400)
        #expect(status("GET / HTTP/2\r\n\r\n") == 505)
        #expect(status("GET http://other/ HTTP/1.1\r\n\r\n") == 400)
        #expect(status("get / HTTP/1.1\r\n\r\n") == 400)
        #expect(status("GET  / HTTP/1.1\r\n\r\n") == 400)
    }

    @Test func bearerTokenNeedsTheScheme() {
        #expect(HTTPRequest(method: "GET", path: "/", headers: [("authorization", "Basic abc")]).bearerToken == nil)
        #expect(HTTPRequest(method: "GET", path: "/", headers: [("authorization", "Bearer")]).bearerToken == nil)
        #expect(HTTPRequest(method: "GET", path: "/", headers: [("authorization", "bearer t0k")]).bearerToken == "t0k")
    }
}
