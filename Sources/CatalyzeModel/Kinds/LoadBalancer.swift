extension KindDefinition {
    /// The rules of `ResourceKind.loadBalancer`.
    public static let loadBalancer = KindDefinition(
        name: "load_balancer", rank: 90, spec: LoadBalancerSpec.self, replaceOnChange: ["network", "type", "scheme"],
        inPlaceReferenceKeys: ["subnets", "internet_gateway"], referenceKeys: ["network", "firewall", "subnets", "internet_gateway"])
}

extension ResourceKind {
    /// The pod's load balancer in one region.
    public static let loadBalancer = ResourceKind(.loadBalancer)
}

/// A `load_balancer`. Attributes `network`, `firewall` (addresses), `type`, `scheme`, `listeners`
/// (canonical `ListenerSpec` list), `health_check` (`HealthCheckSpec`: `proto:path:port`, no path for
/// tcp; empty for none),
/// `certificate` (a reference; only when a listener terminates TLS), `subnets` (addresses, one per
/// zone: `subnet` resources, or the network's own address for its first subnet; absent: the
/// network's subnets, as before 0.2.0 and for an existing VPC), `internet_gateway` (address: the
/// gateway an internet-facing balancer is reached through, made before it). Subnets and gateway
/// change in place.
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
    /// The subnets it is placed in, one per zone; empty for the network's own subnets.
    public var subnets: [ResourceAddress]
    /// The internet gateway of an internet-facing balancer in subnets catalyze makes; nil otherwise.
    public var internetGateway: ResourceAddress?

    /// Creates the spec.
    public init(
        network: ResourceAddress, firewall: ResourceAddress, type: String, scheme: String, listeners: [ListenerSpec],
        healthCheck: HealthCheckSpec?, certificate: String?, subnets: [ResourceAddress] = [], internetGateway: ResourceAddress? = nil
    ) {
        self.network = network
        self.firewall = firewall
        self.type = type
        self.scheme = scheme
        self.listeners = listeners
        self.healthCheck = healthCheck
        self.certificate = certificate
        self.subnets = subnets
        self.internetGateway = internetGateway
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
        subnets = try reader.addresses("subnets")
        internetGateway = try reader.optionalAddress("internet_gateway")
    }

    public var attributes: [String: String] {
        var attributes = [
            "network": network.description, "firewall": firewall.description, "type": type, "scheme": scheme,
            "listeners": ListenerSpec.canonical(listeners), "health_check": healthCheck?.description ?? "",
        ]
        attributes.set("certificate", certificate)
        // Absent when empty: a balancer recorded before 0.2.0, or in an existing VPC, reads the same.
        if !subnets.isEmpty { attributes["subnets"] = subnets.map(\.description).joined(separator: ",") }
        attributes.set("internet_gateway", internetGateway?.description)
        return attributes
    }
}
