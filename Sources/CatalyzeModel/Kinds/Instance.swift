import Foundation

extension KindDefinition {
    /// The rules of `ResourceKind.instance`.
    public static let instance = KindDefinition(
        name: "instance", rank: 70, spec: InstanceSpec.self,
        replaceOnChange: ["role", "vcpu", "memory_mib", "host", "zone", "image", "container_image", "network", "ssh_ca", "principals", "root_key"],
        // Refresh reports `root_key` empty for a root volume not encrypted with a key of the pod: drift.
        emptyMeansNone: ["root_key"], referenceKeys: ["network", "firewall", "root_key"],
        replaceNotes: [
            // EC2 encrypts a root volume only when the instance is launched (ModifyVolume cannot),
            // so a host made without one, as every 0.1.0 host was, is made anew; a database's data
            // volume is detached and re-attached to the new instance, never replaced.
            "root_key": "EC2 encrypts a root volume only at launch: the instance is made anew with its root encrypted by the key, a data volume re-attached"
        ])
}

extension ResourceKind {
    /// One container: an instance or server on the physical host the scheduler chose.
    public static let instance = ResourceKind(.instance)
}

/// An `instance`. Attributes `role`, `vcpu`, `memory_mib`, `host`, `zone`, `image` (empty: the
/// driver's default), `container_image` (what it runs), `network`, `firewall` (addresses),
/// `ssh_ca` (the customer's CA *public* key), `principals`, `port`, `root_key` (address of the key
/// that encrypts its root volume; absent: a cloud that does not encrypt roots, or a pod without encryption).
public struct InstanceSpec: KindSpec {
    public static var kind: ResourceKind { .instance }
    public static var definition: KindDefinition { .instance }
    /// `app`, `db`, `api`, `logging`, `monitoring`.
    public var role: String
    /// vCPUs it needs.
    public var vcpu: Int
    /// Memory it needs, in MiB.
    public var memoryMiB: Int
    /// The physical host placement chose.
    public var host: String
    /// Its availability zone.
    public var zone: String
    /// The machine image; empty for the driver's default.
    public var image: String
    /// The OCI image it runs.
    public var containerImage: String
    /// Its network.
    public var network: ResourceAddress
    /// Its firewall.
    public var firewall: ResourceAddress
    /// The customer's SSH CA public key line (empty: none configured).
    public var sshCA: String
    /// The certificate principal its sshd accepts.
    public var principals: String
    /// The port its service listens on.
    public var port: Int
    /// The key that encrypts its root volume (AWS: the region's `key.storage`); nil: not encrypted
    /// by catalyze (encryption off, or a cloud whose roots it cannot encrypt).
    public var rootKey: ResourceAddress?

    /// `principals` one by one (the attribute is comma-separated), as a host's sshd takes them.
    public var principalNames: [String] {
        principals.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Creates the spec.
    public init(
        role: String, vcpu: Int, memoryMiB: Int, host: String, zone: String, image: String, containerImage: String,
        network: ResourceAddress, firewall: ResourceAddress, sshCA: String, principals: String, port: Int,
        rootKey: ResourceAddress? = nil
    ) {
        self.role = role
        self.vcpu = vcpu
        self.memoryMiB = memoryMiB
        self.host = host
        self.zone = zone
        self.image = image
        self.containerImage = containerImage
        self.network = network
        self.firewall = firewall
        self.sshCA = sshCA
        self.principals = principals
        self.port = port
        self.rootKey = rootKey
    }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        let reader = AttributeReader(attributes)
        role = try reader.required("role")
        vcpu = try reader.int("vcpu")
        memoryMiB = try reader.int("memory_mib")
        host = reader.text("host")
        zone = reader.text("zone")
        image = reader.text("image")
        containerImage = reader.text("container_image")
        network = try reader.address("network")
        firewall = try reader.address("firewall")
        sshCA = reader.text("ssh_ca")
        principals = reader.text("principals")
        port = try reader.int("port")
        rootKey = try reader.optionalAddress("root_key")
    }

    public var attributes: [String: String] {
        var attributes = [
            "role": role, "vcpu": "\(vcpu)", "memory_mib": "\(memoryMiB)", "host": host, "zone": zone, "image": image,
            "container_image": containerImage, "network": network.description, "firewall": firewall.description,
            "ssh_ca": sshCA, "principals": principals, "port": "\(port)",
        ]
        attributes.set("root_key", rootKey?.description)
        return attributes
    }
}
