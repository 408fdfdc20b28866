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
/// new volume, AWS EBS encryption by default, is switched on with the key), `policy` (`explicit`, or
/// absent: a key catalyze makes gets `KeyPolicy`, AWS), `administrators` (the customer's key
/// administrators, comma-separated IAM ARNs, sorted; with `policy`).
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
    /// True when the key gets catalyze's explicit key policy (its administrators the customer's,
    /// catalyze's own use only through AWS services); false: the cloud's default (AWS's, or no
    /// policy at all), and always for a customer's own key, whose policy catalyze never changes.
    public var explicitPolicy: Bool
    /// The customer's key administrators (IAM ARNs), sorted; only with `explicitPolicy`.
    public var administrators: [String]

    /// Creates the spec.
    public init(
        alias: String, customerKey: String? = nil, volumeType: String? = nil, encryptionByDefault: Bool = false,
        explicitPolicy: Bool = false, administrators: [String] = []
    ) {
        self.alias = alias
        self.customerKey = customerKey
        self.volumeType = volumeType
        self.encryptionByDefault = encryptionByDefault
        self.explicitPolicy = explicitPolicy
        self.administrators = explicitPolicy ? Array(Set(administrators)).sorted() : []
    }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        let reader = AttributeReader(attributes)
        alias = try reader.required("alias")
        customerKey = reader.optional("customer_key").flatMap { $0.isEmpty ? nil : $0 }
        volumeType = reader.optional("volume_type").flatMap { $0.isEmpty ? nil : $0 }
        encryptionByDefault = reader.optional("encryption_by_default") == "true"
        explicitPolicy = reader.optional("policy") == "explicit"
        administrators = reader.list("administrators").sorted()
    }

    public var attributes: [String: String] {
        var attributes = ["alias": alias]
        attributes.set("customer_key", customerKey)
        attributes.set("volume_type", volumeType)
        // Absent when off, so that the keys of pods that do not ask for it (Rackspace, dev) are unchanged.
        attributes.set("encryption_by_default", encryptionByDefault ? "true" : nil)
        if explicitPolicy {
            attributes["policy"] = "explicit"
            attributes["administrators"] = administrators.joined(separator: ",")
        }
        return attributes
    }
}
