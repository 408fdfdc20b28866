import CatalyzeCore
import CatalyzeDrivers
import Crypto
import Foundation

/// AWS Signature Version 4: canonical request → string to sign → HMAC-SHA256 chain.
///
/// The only place in catalyze where the AWS secret access key is revealed.
public struct SigV4Signer: Sendable {
    /// The credentials requests are signed with.
    public var credentials: AWSCredentials

    /// Creates a signer.
    public init(credentials: AWSCredentials) { self.credentials = credentials }

    /// The three intermediate products and the final signature, exposed for the test vectors.
    public struct Signing: Sendable, Equatable {
        /// The canonical request text.
        public var canonicalRequest: String
        /// The string to sign.
        public var stringToSign: String
        /// The hex signature.
        public var signature: String
        /// The `Authorization` header value.
        public var authorization: String
    }

    /// Returns `request` with `x-amz-date`, optional `x-amz-security-token` and
    /// `x-amz-content-sha256` (when `signBodyHash`) and `authorization` added.
    public func sign(
        _ request: HTTPRequest, region: String, service: String, date: Date, signBodyHash: Bool = false
    ) -> HTTPRequest {
        var signed = request
        let signing = self.signing(request, region: region, service: service, date: date, signBodyHash: signBodyHash)
        signed.headers = prepared(request, date: date, signBodyHash: signBodyHash)
        signed.headers["authorization"] = signing.authorization
        return signed
    }

    /// Computes every step of the signature of `request` without changing it.
    public func signing(
        _ request: HTTPRequest, region: String, service: String, date: Date, signBodyHash: Bool = false
    ) -> Signing {
        let headers = prepared(request, date: date, signBodyHash: signBodyHash)
        let (amzDate, day) = Self.timestamps(date)
        let canonicalHeaders = headers.keys.sorted().map { "\($0):\(Self.trimmed(headers[$0]!))\n" }.joined()
        let signedHeaders = headers.keys.sorted().joined(separator: ";")
        let canonical = [
            request.method.uppercased(),
            Self.canonicalPath(request.url),
            Self.canonicalQuery(request.url),
            canonicalHeaders,
            signedHeaders,
            Self.hexSHA256(request.body),
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Self.hexSHA256(Data(canonical.utf8))]
            .joined(separator: "\n")
        let key = signingKey(day: day, region: region, service: service)
        let signature = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key).hex
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signing(
            canonicalRequest: canonical, stringToSign: stringToSign, signature: signature,
            authorization: authorization)
    }

    private func prepared(_ request: HTTPRequest, date: Date, signBodyHash: Bool) -> [String: String] {
        var headers: [String: String] = [:]
        for (name, value) in request.headers where name.lowercased() != "authorization" {
            headers[name.lowercased()] = value
        }
        if headers["host"] == nil, let host = request.url.host {
            let port = request.url.port.map { ":\($0)" } ?? ""
            headers["host"] = host + port
        }
        headers["x-amz-date"] = Self.timestamps(date).amzDate
        if let token = credentials.sessionToken { headers["x-amz-security-token"] = token.reveal() }
        if signBodyHash { headers["x-amz-content-sha256"] = Self.hexSHA256(request.body) }
        return headers
    }

    private func signingKey(day: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey.reveal())".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    static func timestamps(_ date: Date) -> (amzDate: String, day: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let day = String(format: "%04d%02d%02d", c.year!, c.month!, c.day!)
        return (day + String(format: "T%02d%02d%02dZ", c.hour!, c.minute!, c.second!), day)
    }

    static func trimmed(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
    }

    static func canonicalPath(_ url: URL) -> String {
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? "/"
        if path.isEmpty { return "/" }
        let decoded = path.removingPercentEncoding ?? path
        return decoded.split(separator: "/", omittingEmptySubsequences: false)
            .map { uriEncode(String($0)) }.joined(separator: "/")
    }

    static func canonicalQuery(_ url: URL) -> String {
        guard let query = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedQuery,
              !query.isEmpty
        else { return "" }
        let pairs = query.split(separator: "&").map { item -> (String, String) in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            return (uriEncode(name), uriEncode(value))
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// RFC 3986 encoding as SigV4 wants it: everything but `A-Za-z0-9-._~` becomes `%XX`.
    static func uriEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    static func hexSHA256(_ data: Data) -> String { SHA256.hash(data: data).hex }
}

extension Sequence where Element == UInt8 {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
