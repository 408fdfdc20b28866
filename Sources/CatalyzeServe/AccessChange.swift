import CatalyzeManifest
import Foundation

/// The body of `PUT /v1/pods/{pod}/access/{service}`: `{"enabled": BOOL, "cidrs": [CIDR, …]}`.
/// `cidrs` may be left out (or empty) to open to the manifest's `customerAccess.cidrs`, and is
/// ignored when closing. Any other key, a wrong type or a malformed CIDR is a 400 naming the field.
public struct AccessChange: Sendable, Hashable {
    /// Open (true) or close.
    public var enabled: Bool
    /// The networks to open to.
    public var cidrs: [String]

    /// Creates a change.
    public init(enabled: Bool, cidrs: [String]) {
        self.enabled = enabled
        self.cidrs = cidrs
    }

    /// Decodes and checks a request body.
    public init(json body: [UInt8]) throws {
        guard !body.isEmpty else {
            throw APIFailure(status: 400, message: #"the body is empty: send {"enabled": true, "cidrs": ["198.51.100.0/24"]}"#)
        }
        let raw: Body
        do {
            raw = try JSONDecoder().decode(Body.self, from: Data(body))
        } catch let failure as APIFailure {
            throw failure
        } catch DecodingError.keyNotFound(let key, _) {
            throw APIFailure(status: 400, message: "field '\(key.stringValue)' is missing (true or false)", field: key.stringValue)
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
            throw APIFailure(status: 400, message: #"the body must be a JSON object such as {"enabled": true, "cidrs": ["198.51.100.0/24"]}"#)
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            let field = Self.field(context.codingPath)
            let wanted = field == "enabled" ? "true or false" : field == "cidrs" ? "an array of CIDR blocks" : "a CIDR block such as 198.51.100.0/24"
            throw APIFailure(status: 400, message: "field '\(field)' must be \(wanted)", field: field)
        } catch {
            throw APIFailure(status: 400, message: "the body is not a JSON object")
        }
        enabled = raw.enabled
        let list = raw.cidrs ?? []
        guard list.count <= 50 else { throw APIFailure(status: 400, message: "field 'cidrs' has more than 50 networks", field: "cidrs") }
        for (index, text) in list.enumerated() where CIDR(parsing: text) == nil {
            throw APIFailure(status: 400, message: "field 'cidrs[\(index)]' is not a CIDR block such as 198.51.100.0/24", field: "cidrs[\(index)]")
        }
        cidrs = list
    }

    /// `cidrs[1]` from a coding path.
    static func field(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : "." + key.stringValue }
        }
        return text.isEmpty ? "body" : text
    }

    /// The body as sent: JSONDecoder tells `true` from `1`, and every key is checked.
    struct Body: Decodable {
        let enabled: Bool
        let cidrs: [String]?

        struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        enum Keys: String, CodingKey { case enabled, cidrs }

        init(from decoder: any Decoder) throws {
            let all = try decoder.container(keyedBy: AnyKey.self)
            for key in all.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where Keys(rawValue: key.stringValue) == nil {
                throw APIFailure(
                    status: 400, message: "unknown field '\(AccessAPI.printable(key.stringValue))': the body has enabled and cidrs only",
                    field: AccessAPI.printable(key.stringValue))
            }
            let container = try decoder.container(keyedBy: Keys.self)
            enabled = try container.decode(Bool.self, forKey: .enabled)
            cidrs = try container.decodeIfPresent([String].self, forKey: .cidrs)
        }
    }
}
