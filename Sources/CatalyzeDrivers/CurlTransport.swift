import CCatalyzeCurl
import Foundation

/// `HTTPTransport` over libcurl's easy interface, each request blocking one thread of its own.
///
/// Why not URLSession: FoundationNetworking on Linux (swift-corelibs-foundation) keeps a dispatch
/// write source on the socket once the request is sent; the socket stays writable while the
/// answer is awaited, so the source fires without pause and a request to a peer that accepts and
/// never answers burned ~85 % of a core until it timed out (`strace`: ~2,000 epoll_wait/poll
/// rounds a second). `curl_easy_perform` sleeps in poll(2) until the socket or a timeout wakes
/// it. (URLSession is no longer linked at all, which also keeps FoundationNetworking out of the
/// binary.) Handles are pooled, and libcurl keeps each one's connections alive between requests; a
/// request marked not `idempotent` goes on a fresh connection (see `HTTPRequest.idempotent`).
public final class CurlTransport: HTTPTransport, BlockingHTTPTransport {
    /// TLS files for a peer that wants its own certificate authority and a client certificate
    /// (etcd with `--client-cert-auth`). Paths only: libcurl reads the files; nothing of the key
    /// passes through Swift, a log or an error.
    public struct TLSFiles: Sendable, Hashable {
        /// PEM certificate authorities trusted instead of the system's.
        public var certificateAuthorities: String
        /// PEM client certificate.
        public var certificate: String
        /// PEM private key of `certificate`.
        public var key: String

        /// Creates the set.
        public init(certificateAuthorities: String, certificate: String, key: String) {
            self.certificateAuthorities = certificateAuthorities
            self.certificate = certificate
            self.key = key
        }
    }

    private let timeouts: NetworkTimeouts
    private let tls: TLSFiles?
    private let pool = Mutex<[CurlHandle]>([])
    private let poolLimit: Int

    /// libcurl, opened on the first request (never at start-up: see CCatalyzeCurl.c); nil when
    /// ready, else why it cannot be used (not installed, too old).
    private static let loadProblem: String? = catalyze_http_global_init().map { String(cString: $0) }

    /// Creates a transport; `poolLimit` idle handles (and their connections) are kept for reuse.
    public init(timeouts: NetworkTimeouts = .standard, poolLimit: Int = 16, tls: TLSFiles? = nil) {
        self.timeouts = timeouts
        self.poolLimit = poolLimit
        self.tls = tls
    }

    deinit {
        for handle in pool.withLock({ $0 }) { catalyze_http_handle_free(handle.raw) }
    }

    /// Sends the request on a thread of its own; cancellation stops it within about a second.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let exchange = Exchange(request, timeouts: timeouts, tls: tls)
        let url = HTTPRequest.redacted(request.url)
        if let problem = Self.loadProblem { throw DriverError.transport(url: url, detail: problem) }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, Error>) in
                let handle = take()
                let thread = Thread { [self] in
                    let result = exchange.perform(handle: handle.raw, url: url)
                    give(handle)
                    continuation.resume(with: result)
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
        } onCancel: {
            exchange.cancel()
        }
    }

    /// Sends the request on the calling thread (`BlockingHTTPTransport`): libcurl sleeps in poll(2)
    /// until the answer or a timeout, so the caller's thread waits without spinning.
    public func sendBlocking(_ request: HTTPRequest) throws -> HTTPResponse {
        let url = HTTPRequest.redacted(request.url)
        if let problem = Self.loadProblem { throw DriverError.transport(url: url, detail: problem) }
        let exchange = Exchange(request, timeouts: timeouts, tls: tls)
        let handle = take()
        defer { give(handle) }
        return try exchange.perform(handle: handle.raw, url: url).get()
    }

    private func take() -> CurlHandle {
        if let handle = pool.withLock({ $0.popLast() }) { return handle }
        // Only after `loadProblem` came back nil, so libcurl is there; nil is then out of memory.
        guard let raw = catalyze_http_handle_new() else { fatalError("curl_easy_init failed (out of memory)") }
        return CurlHandle(raw: raw)
    }

    private func give(_ handle: CurlHandle) {
        let kept = pool.withLock { pool -> Bool in
            guard pool.count < poolLimit else { return false }
            pool.append(handle)
            return true
        }
        if !kept { catalyze_http_handle_free(handle.raw) }
    }
}

/// A libcurl easy handle; used by one thread at a time (taken from the pool, given back after).
private struct CurlHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// One request's C exchange, owned by the thread that performs it; `cancel` may come from anywhere.
private final class Exchange: @unchecked Sendable {
    private let request: HTTPRequest
    private let timeouts: NetworkTimeouts
    private let tls: CurlTransport.TLSFiles?
    private let raw = UnsafeMutablePointer<catalyze_http_exchange>.allocate(capacity: 1)

    init(_ request: HTTPRequest, timeouts: NetworkTimeouts, tls: CurlTransport.TLSFiles?) {
        self.request = request
        self.timeouts = timeouts
        self.tls = tls
        raw.initialize(to: catalyze_http_exchange())
    }

    deinit {
        catalyze_http_exchange_release(raw)
        raw.deallocate()
    }

    func cancel() { catalyze_http_cancel(raw) }

    func perform(handle: UnsafeMutableRawPointer, url: String) -> Result<HTTPResponse, Error> {
        var lines = request.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        // libcurl adds a form content type to a body sent without one; a request that names none
        // should go without one, as it was signed.
        if !request.body.isEmpty && !request.headers.keys.contains(where: { $0.lowercased() == "content-type" }) {
            lines.append("Content-Type:")
        }
        let cLines = lines.map { strdup($0) }
        defer { cLines.forEach { free($0) } }
        let method = strdup(request.method), target = strdup(request.url.absoluteString)
        defer { free(method); free(target) }
        let caFile = tls.map { strdup($0.certificateAuthorities) }, certificate = tls.map { strdup($0.certificate) }
        let key = tls.map { strdup($0.key) }
        defer { free(caFile ?? nil); free(certificate ?? nil); free(key ?? nil) }
        let body = [UInt8](request.body)
        body.withUnsafeBufferPointer { bodyBytes in
            cLines.map { $0.map { UnsafePointer($0) } }.withUnsafeBufferPointer { headerLines in
                raw.pointee.method = UnsafePointer(method)
                raw.pointee.url = UnsafePointer(target)
                raw.pointee.headers = headerLines.baseAddress
                raw.pointee.header_count = headerLines.count
                raw.pointee.body = bodyBytes.baseAddress
                raw.pointee.body_length = bodyBytes.count
                raw.pointee.connect_timeout_ms = Self.milliseconds(min(timeouts.connect, timeouts.request))
                raw.pointee.timeout_ms = Self.milliseconds(timeouts.request)
                raw.pointee.fresh_connection = request.idempotent ? 0 : 1
                raw.pointee.ca_file = caFile.flatMap { $0.map { UnsafePointer($0) } }
                raw.pointee.client_certificate = certificate.flatMap { $0.map { UnsafePointer($0) } }
                raw.pointee.client_key = key.flatMap { $0.map { UnsafePointer($0) } }
                catalyze_http_perform(handle, raw)
            }
        }
        let answer = raw.pointee
        switch answer.outcome {
        case CATALYZE_HTTP_OK:
            let body = answer.response_body.map { Data(bytes: $0, count: answer.response_body_length) } ?? Data()
            let headerText = answer.response_headers.map {
                String(decoding: UnsafeRawBufferPointer(start: $0, count: answer.response_headers_length), as: UTF8.self)
            } ?? ""
            return .success(HTTPResponse(status: answer.status, headers: Self.headers(headerText), body: body))
        case CATALYZE_HTTP_CONNECT_TIMEOUT:
            return .failure(DriverError.timedOut(url: url, phase: .connect, seconds: min(timeouts.connect, timeouts.request)))
        case CATALYZE_HTTP_ANSWER_TIMEOUT:
            return .failure(DriverError.timedOut(url: url, phase: .answer, seconds: timeouts.request))
        case CATALYZE_HTTP_CANCELLED:
            return .failure(CancellationError())
        default:
            let detail = withUnsafeBytes(of: answer.error) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            return .failure(DriverError.transport(url: url, detail: detail))
        }
    }

    private static func milliseconds(_ seconds: TimeInterval) -> Int {
        Int(max(1, min(seconds * 1000, Double(Int32.max))))
    }

    /// `name: value` lines after the status line, names lowercased (a repeated name keeps the last).
    static func headers(_ text: String) -> [String: String] {
        var headers: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return headers
    }
}
