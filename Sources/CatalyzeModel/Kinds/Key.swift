extension KindDefinition {
    /// The rules of `ResourceKind.key`.
    public static let key = KindDefinition(name: "key", rank: 50, spec: KeySpec.self, replaceOnChange: ["alias", "customer_key"])
}

extension ResourceKind {
    /// The customer's storage encryption key in one region (AWS: a KMS key per pod, or the
    /// customer's own; Rackspace: the encrypted volume type).
    public static let key = ResourceKind(.key)
}

/// A `key`. Attributes `alias`, `customer_key` (optional: a key the customer already holds),
/// `volume_type` (Rackspace, optional: the Cinder volume type `encryption.volumeType` names),
/// `encryption_by_default` (`true`, or absent: the region's account-wide setting that encrypts every
/// new volume, AWS EBS encryption by default, is switched on with the key).
public struct KeySpec: KindSpec {
    public static var kind: ResourceKind { .key }
    public static var definition: KindDefinition { .key }
    /// The alias, e.g. `catalyze/<pod>/<region>`.
    public var alias: String
    /// The customer's own key (an ARN or id), when the manifest names one.
    public var customerKey: String?
    /// The Cinder volume type to use (Rackspace), when the manifest names one.
    public var volumeType: String?
    /// True when the region's encryption by default (AWS: EBS encryption by default) is switched on
    /// with the key. Switched on, never off: the setting is the account's, shared by every pod in it.
    public var encryptionByDefault: Bool

    /// Creates the spec.
    public init(alias: String, customerKey: String? = nil, volumeType: String? = nil, encryptionByDefault: Bool = false) {
        self.alias = alias
        self.customerKey = customerKey
        self.volumeType = volumeType
        self.encryptionByDefault = encryptionByDefault
    }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        let reader = AttributeReader(attributes)
        alias = try reader.required("alias")
        customerKey = reader.optional("customer_key").flatMap { $0.isEmpty ? nil : $0 }
        volumeType = reader.optional("volume_type").flatMap { $0.isEmpty ? nil : $0 }
        encryptionByDefault = reader.optional("encryption_by_default") == "true"
    }

    public var attributes: [String: String] {
        var attributes = ["alias": alias]
        attributes.set("customer_key", customerKey)
        attributes.set("volume_type", volumeType)
        // Absent when off, so that the keys of pods that do not ask for it (Rackspace, dev) are unchanged.
        attributes.set("encryption_by_default", encryptionByDefault ? "true" : nil)
        return attributes
    }
}
