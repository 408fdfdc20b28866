extension KindDefinition {
    /// The rules of `ResourceKind.loadBalancer`.
    public static let loadBalancer = KindDefinition(
        name: "load_balancer", rank: 90, spec: LoadBalancerSpec.self, replaceOnChange: ["network", "type", "scheme"], referenceKeys: ["network", "firewall"])
}

extension ResourceKind {
    /// The pod's load balancer in one region.
    public static let loadBalancer = ResourceKind(.loadBalancer)
}

/// A `load_balancer`. Attributes `network`, `firewall` (addresses), `type`, `scheme`, `listeners`
/// (canonical `ListenerSpec` list), `health_check` (`HealthCheckSpec`: `proto:path:port`, no path for
/// tcp; empty for none),
/// `certificate` (a reference; only when a listener terminates TLS).
public struct LoadBalancerSpec: KindSpec {
    public static var kind: ResourceKind { .loadBalancer }
    public static var definition: KindDefinition { .loadBalancer }
    /// Its network.
    public var network: ResourceAddress
    /// Its firewall.
    public var firewall: ResourceAddress
    /// `application` or `network`.
    public var type: String
    /// `internet-facing` or `internal`.
    public var scheme: String
    /// Its listeners, in manifest order.
    public var listeners: [ListenerSpec]
    /// The health check; nil for none (encoded empty).
    public var healthCheck: HealthCheckSpec?
    /// The certificate reference, when a listener terminates TLS.
    public var certificate: String?

    /// Creates the spec.
    public init(
        network: ResourceAddress, firewall: ResourceAddress, type: String, scheme: String, listeners: [ListenerSpec],
        healthCheck: HealthCheckSpec?, certificate: String?
    ) {
        self.network = network
        self.firewall = firewall
        self.type = type
        self.scheme = scheme
        self.listeners = listeners
        self.healthCheck = healthCheck
        self.certificate = certificate
    }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        let reader = AttributeReader(attributes)
        network = try reader.address("network")
        firewall = try reader.address("firewall")
        type = reader.text("type")
        scheme = reader.text("scheme")
        listeners = try ListenerSpec.list(canonical: reader.text("listeners"))
        do { healthCheck = try HealthCheckSpec.optional(canonical: reader.text("health_check")) } catch {
            throw MalformedSpecText(what: "attribute 'health_check'", text: error.text, form: error.form)
        }
        certificate = reader.optional("certificate").flatMap { $0.isEmpty ? nil : $0 }
    }

    public var attributes: [String: String] {
        var attributes = [
            "network": network.description, "firewall": firewall.description, "type": type, "scheme": scheme,
            "listeners": ListenerSpec.canonical(listeners), "health_check": healthCheck?.description ?? "",
        ]
        attributes.set("certificate", certificate)
        return attributes
    }
}
