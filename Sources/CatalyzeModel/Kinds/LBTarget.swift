extension KindDefinition {
    /// The rules of `ResourceKind.lbTarget`.
    public static let lbTarget = KindDefinition(
        name: "lb_target", rank: 100, spec: LBTargetSpec.self, replaceOnChange: ["load_balancer", "instance", "port"], referenceKeys: ["load_balancer", "instance"])
}

extension ResourceKind {
    /// One instance registered behind the load balancer.
    public static let lbTarget = ResourceKind(.lbTarget)
}

/// An `lb_target`. Attributes `load_balancer`, `instance` (addresses), `port`.
public struct LBTargetSpec: KindSpec {
    public static var kind: ResourceKind { .lbTarget }
    public static var definition: KindDefinition { .lbTarget }
    /// The balancer.
    public var loadBalancer: ResourceAddress
    /// The instance behind it.
    public var instance: ResourceAddress
    /// The instance's port traffic goes to.
    public var port: Int

    /// Creates the spec.
    public init(loadBalancer: ResourceAddress, instance: ResourceAddress, port: Int) {
        self.loadBalancer = loadBalancer
        self.instance = instance
        self.port = port
    }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        let reader = AttributeReader(attributes)
        loadBalancer = try reader.address("load_balancer")
        instance = try reader.address("instance")
        port = try reader.int("port")
    }

    public var attributes: [String: String] {
        ["load_balancer": loadBalancer.description, "instance": instance.description, "port": "\(port)"]
    }
}
