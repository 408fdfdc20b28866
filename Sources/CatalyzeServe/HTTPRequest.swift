/// One HTTP/1.1 request as the server read it: method, path, headers and body, all bounded by
/// `HTTPLimits` before they were kept.
public struct HTTPRequest: Sendable, Hashable {
    /// `GET`, `PUT`, … (case-sensitive, as RFC 9110 §9.1 says).
    public var method: String
    /// The request target's path, percent-decoding not applied (`/v1/pods/acme/access`).
    public var path: String
    /// The query string after `?`, if any (kept, never used by a route today).
    public var query: String?
    /// Header fields in arrival order, names lowercased.
    public var headers: [(name: String, value: String)]
    /// The body (`Content-Length` bytes; empty without one).
    public var body: [UInt8]

    /// Creates a request.
    public init(method: String, path: String, query: String? = nil, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name` (any case), or nil.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }

    /// The bearer token of the `Authorization` header (RFC 6750 §2.1), or nil when there is none.
    public var bearerToken: String? {
        guard let value = header("authorization") else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = String(parts[1].drop { $0 == " " || $0 == "\t" })
        return token.isEmpty ? nil : token
    }

    public static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.query == rhs.query && lhs.body == rhs.body
            && lhs.headers.map { "\($0.name):\($0.value)" } == rhs.headers.map { "\($0.name):\($0.value)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(path)
        hasher.combine(body)
    }
}
