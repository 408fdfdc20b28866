import Foundation

/// Reads one HTTP/1.1 request (RFC 9112) out of the bytes received so far, within `HTTPLimits`.
///
/// Strict where leniency has bitten other servers: a bare LF, obsolete line folding, a space
/// before a header's colon, `Transfer-Encoding` (request smuggling needs two framings; this server
/// takes only `Content-Length`), two different `Content-Length` values and a non-numeric one are
/// all refused, each with the status RFC 9112 gives it.
public enum HTTPRequestParser {
    /// What the bytes so far amount to.
    public enum Outcome: Sendable, Hashable {
        /// Not a whole request yet: read more (within the limits' time).
        case incomplete
        /// A whole request.
        case complete(HTTPRequest)
        /// A request the server refuses: answer `status` with `message`, then close.
        case failed(status: Int, message: String)
    }

    /// Parses `buffer` (everything the connection has sent so far).
    public static func parse(_ buffer: [UInt8], limits: HTTPLimits) -> Outcome {
        guard let headEnd = endOfHead(buffer) else {
            if buffer.count > limits.maxHeaderBytes {
                return .failed(status: 431, message: "the request line and headers exceed \(limits.maxHeaderBytes) bytes")
            }
            return .incomplete
        }
        guard headEnd <= limits.maxHeaderBytes else {
            return .failed(status: 431, message: "the request line and headers exceed \(limits.maxHeaderBytes) bytes")
        }
        guard let head = String(validating: buffer[..<headEnd], as: UTF8.self) else {
            return .failed(status: 400, message: "the request line or a header is not UTF-8")
        }
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst()
        if lines.last == "" { lines.removeLast() }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            return .failed(status: 400, message: "malformed request line (expected METHOD /path HTTP/1.1)")
        }
        guard parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
            return .failed(status: 505, message: "only HTTP/1.1 is served, not \(parts[2].prefix(16))")
        }
        let target = parts[1]
        guard target.hasPrefix("/"), target.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "\u{7F}" && ($0.asciiValue ?? 0) >= 0x21 }) else {
            return .failed(status: 400, message: "the request target must be a path such as /v1/health")
        }
        let pathAndQuery = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard lines.count <= limits.maxHeaderCount else {
            return .failed(status: 431, message: "more than \(limits.maxHeaderCount) header fields")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let first = line.first, first != " ", first != "\t" else {
                return .failed(status: 400, message: "obsolete header line folding is not accepted")
            }
            guard let colon = line.firstIndex(of: ":") else {
                return .failed(status: 400, message: "a header line has no colon")
            }
            let name = line[..<colon]
            guard !name.isEmpty, name.allSatisfy(isTokenCharacter) else {
                return .failed(status: 400, message: "a header name has a character a field name cannot have")
            }
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            var trimmed = Substring(value)
            while let last = trimmed.last, last == " " || last == "\t" { trimmed = trimmed.dropLast() }
            guard !trimmed.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) else {
                return .failed(status: 400, message: "header \(name.lowercased()) has a control character")
            }
            headers.append((name.lowercased(), String(trimmed)))
        }
        if headers.contains(where: { $0.name == "transfer-encoding" }) {
            return .failed(status: 501, message: "Transfer-Encoding is not accepted: send the body with Content-Length")
        }
        let lengths = Set(headers.filter { $0.name == "content-length" }.map(\.value))
        var length = 0
        if let text = lengths.first {
            guard lengths.count == 1, !text.isEmpty, text.count <= 12, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text) else {
                return .failed(status: 400, message: "Content-Length must be one decimal number")
            }
            length = value
        } else if ["PUT", "POST", "PATCH"].contains(parts[0]) {
            return .failed(status: 411, message: "\(parts[0]) needs a Content-Length")
        }
        guard length <= limits.maxBodyBytes else {
            return .failed(status: 413, message: "the body is \(length) bytes; at most \(limits.maxBodyBytes) are accepted")
        }
        let bodyStart = headEnd + 4
        guard buffer.count >= bodyStart + length else { return .incomplete }
        return .complete(HTTPRequest(
            method: String(parts[0]), path: String(pathAndQuery[0]), query: pathAndQuery.count > 1 ? String(pathAndQuery[1]) : nil,
            headers: headers, body: Array(buffer[bodyStart..<(bodyStart + length)])))
    }

    /// The index of the `\r\n\r\n` ending the head, or nil.
    static func endOfHead(_ buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 0x0D && buffer[index + 1] == 0x0A && buffer[index + 2] == 0x0D && buffer[index + 3] == 0x0A {
            return index
        }
        return nil
    }

    /// `tchar` of RFC 9110 §5.6.2.
    static func isTokenCharacter(_ character: Character) -> Bool {
        guard character.isASCII, let value = character.asciiValue else { return false }
        if character.isLetter || character.isNumber { return true }
        return "!#$%&'*+-.^_`|~".contains(Character(Unicode.Scalar(value)))
    }
}
