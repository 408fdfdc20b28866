import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// A Rackspace API error body read into the cloud's own code and message.
///
/// Rackspace services answer errors in several shapes: Nova and Cinder
/// `{"itemNotFound": {"message", "code"}}`, Neutron `{"NeutronError": {"type", "message"}}`,
/// Cloud Monitoring `{"type", "code", "message"}`, Cloud Load Balancers `{"message", "code"}`.
struct RackspaceError: Sendable {
    var service: String
    var action: String
    var status: Int
    var code: String
    var message: String

    var driverError: DriverError {
        .api(service: service, action: action, status: status, code: code, message: message)
    }

    /// Reads an error response; the API key (if it ever came back) is masked out of the message.
    static func from(status: Int, body: Data, service: String, action: String, redacting secret: Secret?) -> RackspaceError {
        let document = JSONValue.parse(body) ?? .null
        var code = "HTTP\(status)"
        var message = ""
        let members = document.object
        if let neutron = members["NeutronError"], !neutron.isNull {
            code = neutron["type"].string ?? code
            message = neutron["message"].string ?? ""
        } else if let type = members["type"]?.string {
            code = type
            message = members["message"]?.string ?? members["details"]?.string ?? ""
        } else if members.count == 1, let (key, inner) = members.first, !inner.object.isEmpty {
            code = key
            message = inner["message"].string ?? ""
        } else if let text = members["message"]?.string {
            message = text
        } else if document.isNull {
            message = String(decoding: body.prefix(200), as: UTF8.self)
        }
        if let secret, !secret.reveal().isEmpty {
            message = message.replacingOccurrences(of: secret.reveal(), with: "<redacted>")
        }
        message = message.trimmingCharacters(in: .whitespacesAndNewlines)
        if message.count > 300 { message = String(message.prefix(300)) + "…" }
        return RackspaceError(service: service, action: action, status: status, code: code, message: message)
    }
}
