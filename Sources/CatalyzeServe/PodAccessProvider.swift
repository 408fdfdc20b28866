import CatalyzeOperations

/// What the API needs of the pods: their current exposure, and a change to it. The CLI provides
/// it with each pod's manifest, state store and `ExposureSwitch`; it throws `APIFailure` for an
/// unknown pod (404), a held lock (409), a missing network (400).
public protocol PodAccessProvider: Sendable {
    /// The current exposure of `pod`'s logging and monitoring endpoints.
    func current(pod: String) async throws -> PodAccessView
    /// Opens or closes `service` of `pod` (under the pod's state lock, audited as `actor`).
    func change(
        pod: String, service: ExposureSwitch.Service, enabled: Bool, cidrs: [String], actor: String
    ) async throws -> AccessChangeResult
}

/// One endpoint's exposure: open or not, and to which networks.
public struct ServiceExposure: Codable, Sendable, Hashable {
    /// True when the customer's networks reach it.
    public var enabled: Bool
    /// Those networks (empty when closed).
    public var cidrs: [String]

    /// Creates the value.
    public init(enabled: Bool, cidrs: [String]) {
        self.enabled = enabled
        self.cidrs = cidrs
    }
}

/// `GET /v1/pods/{pod}/access`.
public struct PodAccessView: Codable, Sendable, Hashable {
    /// 2, as every catalyze JSON document (`docs/json.md`).
    public var formatVersion = 2
    /// The pod.
    public var pod: String
    /// The logging container's endpoint.
    public var logging: ServiceExposure
    /// The monitoring container's endpoint.
    public var monitoring: ServiceExposure

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case pod, logging, monitoring
    }

    /// Creates the value.
    public init(pod: String, logging: ServiceExposure, monitoring: ServiceExposure) {
        self.pod = pod
        self.logging = logging
        self.monitoring = monitoring
    }
}

/// The answer to `PUT /v1/pods/{pod}/access/{service}`.
public struct AccessChangeResult: Codable, Sendable, Hashable {
    /// 2.
    public var formatVersion = 2
    /// The pod.
    public var pod: String
    /// `logging` or `monitoring`.
    public var service: String
    /// True when it is now open.
    public var enabled: Bool
    /// The networks it is open to (empty once closed).
    public var cidrs: [String]
    /// The firewall-rule changes made (`create primary/firewall_rule.logging-access`, …); empty when
    /// it already was as asked (the PUT is idempotent).
    public var ruleChanges: [String]
    /// Every change succeeded (false: the answer is 502 and `failures` says why).
    public var complete: Bool
    /// What failed, by address.
    public var failures: [String]
    /// The sequence number of the audit entry recorded in the pod's audit log.
    public var auditSequence: Int

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case pod, service, enabled, cidrs, complete, failures
        case ruleChanges = "rule_changes"
        case auditSequence = "audit_sequence"
    }

    /// Creates the value.
    public init(
        pod: String, service: String, enabled: Bool, cidrs: [String], ruleChanges: [String], complete: Bool, failures: [String],
        auditSequence: Int
    ) {
        self.pod = pod
        self.service = service
        self.enabled = enabled
        self.cidrs = cidrs
        self.ruleChanges = ruleChanges
        self.complete = complete
        self.failures = failures
        self.auditSequence = auditSequence
    }
}
