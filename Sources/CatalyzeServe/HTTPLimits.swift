/// How much a client may send and how long it may take, so that no client holds the server: a
/// slow or oversized request is answered with an error (408, 413, 431) and its connection closed.
public struct HTTPLimits: Sendable, Hashable {
    /// The request line and headers together, in bytes (over it: 431).
    public var maxHeaderBytes: Int
    /// Header fields, at most (over it: 431).
    public var maxHeaderCount: Int
    /// The body, in bytes (over it: 413, decided from `Content-Length` before the body is read).
    public var maxBodyBytes: Int
    /// From the connection's accept to the end of its headers (over it: 408).
    public var headerTimeout: Duration
    /// From the connection's accept to the end of its body (over it: 408).
    public var requestTimeout: Duration
    /// Connections served at once; one more is answered 503 and closed.
    public var maxConnections: Int

    /// The limits `catalyze serve` uses: 16 KiB of headers (100 fields), 64 KiB of body, 10 s to
    /// send the headers and 20 s for the whole request, 16 connections at once.
    public static let standard = HTTPLimits(
        maxHeaderBytes: 16 * 1024, maxHeaderCount: 100, maxBodyBytes: 64 * 1024, headerTimeout: .seconds(10),
        requestTimeout: .seconds(20), maxConnections: 16)

    /// Creates limits.
    public init(
        maxHeaderBytes: Int, maxHeaderCount: Int, maxBodyBytes: Int, headerTimeout: Duration, requestTimeout: Duration,
        maxConnections: Int
    ) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.headerTimeout = headerTimeout
        self.requestTimeout = requestTimeout
        self.maxConnections = maxConnections
    }
}
