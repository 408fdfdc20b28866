import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeTestSupport
import Foundation
import Testing

/// The AWS SigV4 test suite (Tests/Fixtures/sigv4, from awslabs/aws-c-auth): each step checked.
@Suite struct SigV4SignerTests {
    static let cases = [
        "get-vanilla", "get-vanilla-query-order-key-case", "get-vanilla-query-unreserved",
        "get-vanilla-with-session-token", "post-header-key-sort", "post-vanilla", "post-x-www-form-urlencoded",
    ]

    struct Vector {
        var request: HTTPRequest
        var credentials: AWSCredentials
        var region: String
        var service: String
        var date: Date
        var signBody: Bool
        var canonical: String
        var stringToSign: String
        var signature: String
    }

    static func load(_ name: String) throws -> Vector {
        let folder = repositoryRoot.appendingPathComponent("Tests/Fixtures/sigv4/\(name)")
        func read(_ file: String) throws -> String {
            try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        }
        let context = try JSONSerialization.jsonObject(with: Data(try read("context.json").utf8)) as! [String: Any]
        let credentials = context["credentials"] as! [String: String]
        let raw = try read("request.txt")
        let (head, body) = raw.range(of: "\n\n").map { (String(raw[..<$0.lowerBound]), String(raw[$0.upperBound...])) } ?? (raw, "")
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines where !line.isEmpty {
            let colon = line.firstIndex(of: ":")!
            headers[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        let host = headers.first { $0.key.lowercased() == "host" }!.value
        let url = URL(string: "https://\(host)\(requestLine[1])")!
        return Vector(
            request: HTTPRequest(method: String(requestLine[0]), url: url, headers: headers, body: Data(body.utf8)),
            credentials: AWSCredentials(
                accessKeyID: credentials["access_key_id"]!, secretAccessKey: Secret(credentials["secret_access_key"]!),
                sessionToken: credentials["token"].map(Secret.init)),
            region: context["region"] as! String, service: context["service"] as! String,
            date: ISO8601DateFormatter().date(from: context["timestamp"] as! String)!,
            signBody: context["sign_body"] as? Bool ?? false,
            canonical: try read("header-canonical-request.txt"), stringToSign: try read("header-string-to-sign.txt"),
            signature: try read("header-signature.txt").trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test(arguments: cases) func matchesTheAWSTestVector(_ name: String) throws {
        let vector = try Self.load(name)
        let signer = SigV4Signer(credentials: vector.credentials)
        let signing = signer.signing(
            vector.request, region: vector.region, service: vector.service, date: vector.date, signBodyHash: vector.signBody)
        #expect(signing.canonicalRequest == vector.canonical)
        #expect(signing.stringToSign == vector.stringToSign)
        #expect(signing.signature == vector.signature)
        let signed = signer.sign(vector.request, region: vector.region, service: vector.service, date: vector.date, signBodyHash: vector.signBody)
        #expect(signed.headers["authorization"]?.hasSuffix("Signature=\(vector.signature)") == true)
        #expect(signed.headers["x-amz-date"] == "20150830T123600Z")
    }

    @Test func neverPutsTheSecretIntoHeadersOrDescriptions() throws {
        let vector = try Self.load("get-vanilla")
        let signer = SigV4Signer(credentials: vector.credentials)
        let signed = signer.sign(vector.request, region: "us-east-1", service: "ec2", date: vector.date)
        let everything = signed.headers.values.joined(separator: "\n") + "\(signer)" + "\(vector.credentials)"
        #expect(!everything.contains("wJalrXUtnFEMI"))
        #expect(signed.headers["authorization"]?.contains("Credential=AKIDEXAMPLE/20150830/us-east-1/ec2/aws4_request") == true)
    }
}
