import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// The two STS calls that turn a role into temporary credentials (STS API reference, 2011-06-15:
/// AssumeRole, signed; AssumeRoleWithWebIdentity, unsigned, the token is the proof). Query
/// protocol, POSTed to `AWS_ENDPOINT_URL` or the global endpoint `https://sts.amazonaws.com/`
/// (signed for us-east-1). Nothing of the answer but the key id is ever printed.
struct STSClient: Sendable {
    let endpoint: URL?
    let extraHeaders: [String: String]
    let transport: HTTPTransport
    let clock: WallClock
    let readFile: @Sendable (String) -> String?

    /// Temporary credentials for `source` (which must be a role), and when they expire.
    func credentials(for source: AWSCredentialSource) async throws -> (credentials: AWSCredentials, expires: Date) {
        var form = ["Version": "2011-06-15"]
        var action = "", role = ""
        var signer: SigV4Signer?
        switch source {
        case .keys(let keys):
            return (keys, .distantFuture)
        case let .assumeRole(roleARN, sessionName, externalID, sourceKeys):
            action = "AssumeRole"
            role = roleARN
            form["RoleSessionName"] = sessionName
            if let externalID { form["ExternalId"] = externalID }
            signer = SigV4Signer(credentials: sourceKeys)
        case let .webIdentity(roleARN, sessionName, tokenFile):
            action = "AssumeRoleWithWebIdentity"
            role = roleARN
            form["RoleSessionName"] = sessionName
            guard let token = readFile(tokenFile)?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
                throw DriverError.authentication("cannot read a web identity token from \(tokenFile) (AWS_WEB_IDENTITY_TOKEN_FILE)")
            }
            form["WebIdentityToken"] = token
        }
        form["Action"] = action
        form["RoleArn"] = role
        let body = form.keys.sorted().map { "\(SigV4Signer.uriEncode($0))=\(SigV4Signer.uriEncode(form[$0]!))" }
            .joined(separator: "&")
        var request = HTTPRequest(
            method: "POST", url: endpoint ?? URL(string: "https://sts.amazonaws.com/")!,
            headers: ["content-type": "application/x-www-form-urlencoded; charset=utf-8"], body: Data(body.utf8))
        if let signer {
            request = signer.sign(request, region: "us-east-1", service: "sts", date: clock.now())
            request.headers["host"] = nil
        }
        for (name, value) in extraHeaders { request.headers[name] = value }
        let response = try await transport.send(request)
        let node = XMLNode.parse(response.body)
        guard (200..<300).contains(response.status) else {
            let code = node?.descendants("Code").first?.text ?? "HTTP\(response.status)"
            let message = node?.descendants("Message").first?.text ?? ""
            throw DriverError.authentication("STS \(action) for \(role) refused: \(code) (HTTP \(response.status))\(message.isEmpty ? "" : ": \(message.prefix(300))")")
        }
        guard let node, let id = node.descendants("AccessKeyId").first?.text, !id.isEmpty,
              let secret = node.descendants("SecretAccessKey").first?.text, !secret.isEmpty,
              let token = node.descendants("SessionToken").first?.text, !token.isEmpty
        else {
            throw DriverError.malformedResponse(service: "sts", action: action, detail: "no credentials in the answer")
        }
        let expires = node.descendants("Expiration").first.flatMap { Self.date($0.text) } ?? clock.now().addingTimeInterval(900)
        return (AWSCredentials(accessKeyID: id, secretAccessKey: Secret(secret), sessionToken: Secret(token)), expires)
    }

    /// ISO 8601, with or without fractional seconds of any length (`2026-12-07T05:10:00Z`,
    /// `…00.753486Z`, as moto writes it): the fraction is dropped (a second earlier is safe).
    static func date(_ text: String) -> Date? {
        var whole = text
        if let dot = whole.firstIndex(of: "."), let end = whole[dot...].firstIndex(where: { !$0.isNumber && $0 != "." }) {
            whole.removeSubrange(dot..<end)
        }
        return ISO8601DateFormatter().date(from: whole)
    }
}
