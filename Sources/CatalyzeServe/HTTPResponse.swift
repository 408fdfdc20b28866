import Foundation

/// One HTTP/1.1 response. Every response closes its connection (`Connection: close`): clients
/// of this API make a request now and then, so keeping connections open would only let idle ones
/// hold the server's few connection slots.
public struct HTTPResponse: Sendable, Hashable {
    /// The status code.
    public var status: Int
    /// Header fields besides `Content-Length`, `Connection` and `Content-Type`, which the
    /// serialisation adds.
    public var headers: [String: String]
    /// `Content-Type` of the body.
    public var contentType: String
    /// The body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [String: String] = [:], contentType: String = "application/json", body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.contentType = contentType
        self.body = body
    }

    /// A JSON response of `value` (keys sorted, so the same value is the same bytes).
    public static func json<T: Encodable>(_ status: Int, _ value: T, headers: [String: String] = [:]) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(value)).map { Array($0) + [0x0A] } ?? Array("{}\n".utf8)
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    /// An error response: `{"error": {"status": …, "message": …, "field": …}}` (the field when
    /// the body named a bad one).
    public static func error(_ status: Int, _ message: String, field: String? = nil, headers: [String: String] = [:]) -> HTTPResponse {
        json(status, ErrorBody(error: .init(status: status, message: message, field: field)), headers: headers)
    }

    /// The bytes on the wire.
    public var serialized: [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
        head += "Content-Type: \(contentType)\r\n"
        head += "Content-Length: \(body.count)\r\n"
        head += "Connection: close\r\n"
        head += "Cache-Control: no-store\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }

    /// The reason phrase of `status` (RFC 9110 §15).
    public static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status \(status)"
        }
    }

    struct ErrorBody: Encodable {
        struct Detail: Encodable {
            let status: Int
            let message: String
            let field: String?
        }

        let error: Detail
    }
}
