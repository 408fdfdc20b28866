import Foundation

extension KindDefinition {
    /// The rules of `ResourceKind.instance`.
    public static let instance = KindDefinition(
        name: "instance", rank: 70, spec: InstanceSpec.self,
        replaceOnChange: ["role", "vcpu", "memory_mib", "host", "zone", "image", "container_image", "network", "ssh_ca", "principals"],
        referenceKeys: ["network", "firewall"])
}

extension ResourceKind {
    /// One container: an instance or server on the physical host the scheduler chose.
    public static let instance = ResourceKind(.instance)
}

/// An `instance`. Attributes `role`, `vcpu`, `memory_mib`, `host`, `zone`, `image` (empty: the
/// driver's default), `container_image` (what it runs), `network`, `firewall` (addresses),
/// `ssh_ca` (the customer's CA *public* key), `principals`, `port`.
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

    /// `principals` one by one (the attribute is comma-separated), as a host's sshd takes them.
    public var principalNames: [String] {
        principals.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Creates the spec.
    public init(
        role: String, vcpu: Int, memoryMiB: Int, host: String, zone: String, image: String, containerImage: String,
        network: ResourceAddress, firewall: ResourceAddress, sshCA: String, principals: String, port: Int
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
    }

    public var attributes: [String: String] {
        [
            "role": role, "vcpu": "\(vcpu)", "memory_mib": "\(memoryMiB)", "host": host, "zone": zone, "image": image,
            "container_image": containerImage, "network": network.description, "firewall": firewall.description,
            "ssh_ca": sshCA, "principals": principals, "port": "\(port)",
        ]
    }
}
