/// The typed form of one kind's attributes, and the one place that names its attribute keys.
///
/// `attributes` is the canonical encoding: what `ResourceSpec.attributes` holds, what plans diff
/// and lockfiles store. `DesiredState` builds specs from the manifest as typed values and encodes
/// them; a driver's handler decodes the request's spec (`init(_:)`) instead of reading keys by
/// name. Decoding is for what a plan wants (create, update): a delete works from what was recorded
/// (`ApplyRequest.prior`), which older releases may have written with fewer keys.
///
/// Each kind has exactly one spec, in its file under `Kinds/`; the `Registry` build plugin lists
/// every conformance of this target (`registeredKindSpec`), which is how `KindDefinition.all` finds
/// every kind.
// @registry
public protocol KindSpec: Hashable, Sendable {
    /// The kind this spec describes.
    static var kind: ResourceKind { get }
    /// Its kind's rules (`ResourceKind.definition`).
    static var definition: KindDefinition { get }
    /// Decodes canonical attributes; throws naming the first key that is missing or malformed.
    init(attributes: [String: String]) throws(MalformedSpecText)
    /// The canonical attributes.
    var attributes: [String: String] { get }
}

extension KindSpec {
    /// Decodes `spec`, which must be of this kind.
    public init(_ spec: ResourceSpec) throws(MalformedSpecText) {
        guard spec.kind == Self.kind else {
            throw MalformedSpecText(what: "\(spec.address) spec", text: spec.kind.rawValue, form: "a \(Self.kind) spec")
        }
        do {
            try self.init(attributes: spec.attributes)
        } catch {
            throw MalformedSpecText(what: "\(spec.address) \(error.what)", text: error.text, form: error.form)
        }
    }
}

extension ResourceSpec {
    /// A spec of `typed`'s kind at `address` (whose kind must be the same).
    public init<Spec: KindSpec>(address: ResourceAddress, provider: Provider, cloudRegion: String, _ typed: Spec) {
        precondition(address.kind == Spec.kind, "address \(address) is not a \(Spec.kind)")
        self.init(address: address, kind: Spec.kind, provider: provider, cloudRegion: cloudRegion, attributes: typed.attributes)
    }
}

/// Reads one kind's canonical attributes, throwing `MalformedSpecText` that names the key.
struct AttributeReader {
    let values: [String: String]

    init(_ values: [String: String]) { self.values = values }

    /// The value of `key`, or `""` when absent (keys whose empty value is meaningful).
    func text(_ key: String) -> String { values[key] ?? "" }

    /// The value of `key`; nil when absent.
    func optional(_ key: String) -> String? { values[key] }

    /// The value of `key`, which must be present and non-empty.
    func required(_ key: String) throws(MalformedSpecText) -> String {
        guard let value = values[key], !value.isEmpty else {
            throw MalformedSpecText(what: "attribute '\(key)'", text: values[key] ?? "", form: "a value")
        }
        return value
    }

    /// The whole number at `key`.
    func int(_ key: String) throws(MalformedSpecText) -> Int {
        let value = values[key] ?? ""
        guard let number = Int(value) else { throw MalformedSpecText(what: "attribute '\(key)'", text: value, form: "a whole number") }
        return number
    }

    /// `true` or `false` at `key`.
    func bool(_ key: String) throws(MalformedSpecText) -> Bool {
        switch values[key] {
        case "true": return true
        case "false": return false
        case let other: throw MalformedSpecText(what: "attribute '\(key)'", text: other ?? "", form: "true or false")
        }
    }

    /// The address at `key`.
    func address(_ key: String) throws(MalformedSpecText) -> ResourceAddress {
        let value = values[key] ?? ""
        guard let address = ResourceAddress(parsing: value) else {
            throw MalformedSpecText(what: "attribute '\(key)'", text: value, form: "region/kind.name")
        }
        return address
    }

    /// The address at `key`; nil when absent or empty.
    func optionalAddress(_ key: String) throws(MalformedSpecText) -> ResourceAddress? {
        guard let value = values[key], !value.isEmpty else { return nil }
        return try address(key)
    }

    /// The comma-separated list at `key` (empty when absent or empty).
    func list(_ key: String) -> [String] {
        (values[key] ?? "").split(separator: ",").map(String.init).filter { !$0.isEmpty }
    }

    /// The comma-separated addresses at `key`.
    func addresses(_ key: String) throws(MalformedSpecText) -> [ResourceAddress] {
        var addresses: [ResourceAddress] = []
        for text in list(key) {
            guard let address = ResourceAddress(parsing: text) else {
                throw MalformedSpecText(what: "attribute '\(key)'", text: text, form: "region/kind.name[,…]")
            }
            addresses.append(address)
        }
        return addresses
    }
}

extension Dictionary where Key == String, Value == String {
    /// Sets `key` to `value` when it is not nil (an absent key, not an empty one).
    mutating func set(_ key: String, _ value: String?) {
        if let value { self[key] = value }
    }
}
