extension KindDefinition {
    /// The rules of `ResourceKind.volume`.
    public static let volume = KindDefinition(
        name: "volume", rank: 60, spec: VolumeSpec.self, replaceOnChange: ["encrypted", "key", "zone"], referenceKeys: ["key"])
}

extension ResourceKind {
    /// A block-storage volume (a database container's data), encrypted with the pod's key.
    public static let volume = ResourceKind(.volume)
}

/// A `volume`. Attributes `size_gib`, `encrypted`, `zone`, `key` (address; only when encrypted).
public struct VolumeSpec: KindSpec {
    public static var kind: ResourceKind { .volume }
    public static var definition: KindDefinition { .volume }
    /// Its size in GiB (grown in place).
    public var sizeGiB: Int
    /// True when encrypted at rest.
    public var encrypted: Bool
    /// Its availability zone.
    public var zone: String
    /// The key that encrypts it.
    public var key: ResourceAddress?

    /// Creates the spec.
    public init(sizeGiB: Int, encrypted: Bool, zone: String, key: ResourceAddress?) {
        self.sizeGiB = sizeGiB
        self.encrypted = encrypted
        self.zone = zone
        self.key = key
    }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        let reader = AttributeReader(attributes)
        sizeGiB = try reader.int("size_gib")
        encrypted = try reader.bool("encrypted")
        zone = reader.text("zone")
        key = try reader.optionalAddress("key")
    }

    public var attributes: [String: String] {
        var attributes = ["size_gib": "\(sizeGiB)", "encrypted": "\(encrypted)", "zone": zone]
        attributes.set("key", key?.description)
        return attributes
    }
}
