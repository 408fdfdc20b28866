extension KindDefinition {
    /// The rules of `ResourceKind.attachment`.
    public static let attachment = KindDefinition(
        name: "attachment", rank: 80, spec: AttachmentSpec.self, replaceOnChange: ["volume", "instance", "device"], referenceKeys: ["volume", "instance"])
}

extension ResourceKind {
    /// A volume attached to an instance.
    public static let attachment = ResourceKind(.attachment)
}

/// An `attachment`. Attributes `volume`, `instance` (addresses), `device`.
public struct AttachmentSpec: KindSpec {
    public static var kind: ResourceKind { .attachment }
    public static var definition: KindDefinition { .attachment }
    /// The volume.
    public var volume: ResourceAddress
    /// The instance it is attached to.
    public var instance: ResourceAddress
    /// The device name asked for, e.g. `/dev/sdf`.
    public var device: String

    /// Creates the spec.
    public init(volume: ResourceAddress, instance: ResourceAddress, device: String) {
        self.volume = volume
        self.instance = instance
        self.device = device
    }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        let reader = AttributeReader(attributes)
        volume = try reader.address("volume")
        instance = try reader.address("instance")
        device = reader.text("device")
    }

    public var attributes: [String: String] {
        ["volume": volume.description, "instance": instance.description, "device": device]
    }
}
