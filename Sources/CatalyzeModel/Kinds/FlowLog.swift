extension KindDefinition {
    /// The rules of `ResourceKind.flowLog`.
    public static let flowLog = KindDefinition(
        name: "flow_log", rank: 120, spec: FlowLogSpec.self, replaceOnChange: ["network", "key", "traffic"], referenceKeys: ["network", "key"],
        providers: [.aws])
}

extension ResourceKind {
    /// A record of the traffic in and out of the pod's network, kept encrypted with the pod's key
    /// (AWS: a VPC flow log to a CloudWatch Logs group). AWS only: Rackspace publishes no flow logs.
    public static let flowLog = ResourceKind(.flowLog)
}

/// A `flow_log`. Attributes `network` (address), `key` (address of `key.storage`, when encryption
/// is on), `traffic` (`ALL`, `ACCEPT` or `REJECT`), `retention_days` (how long records are kept,
/// one of the periods CloudWatch Logs offers; changed in place).
public struct FlowLogSpec: KindSpec {
    public static var kind: ResourceKind { .flowLog }
    public static var definition: KindDefinition { .flowLog }
    /// The retention periods CloudWatch Logs accepts, in days (PutRetentionPolicy).
    public static let retentionPeriods = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]

    /// The network whose traffic is recorded.
    public var network: ResourceAddress
    /// The key the records are encrypted with.
    public var key: ResourceAddress?
    /// Which traffic: `ALL`, `ACCEPT` or `REJECT`.
    public var traffic: String
    /// Days records are kept.
    public var retentionDays: Int

    /// Creates the spec.
    public init(network: ResourceAddress, key: ResourceAddress?, traffic: String = "ALL", retentionDays: Int) {
        self.network = network
        self.key = key
        self.traffic = traffic
        self.retentionDays = retentionDays
    }

    /// The shortest period CloudWatch Logs offers that keeps records at least `seconds` (the longest, ten years, at most).
    public static func retentionDays(atLeast seconds: Int) -> Int {
        let days = (seconds + 86_399) / 86_400
        return retentionPeriods.first { $0 >= days } ?? retentionPeriods[retentionPeriods.count - 1]
    }

    public init(attributes: [String: String]) throws(MalformedSpecText) {
        let reader = AttributeReader(attributes)
        network = try reader.address("network")
        key = try reader.optionalAddress("key")
        traffic = try reader.required("traffic")
        guard ["ALL", "ACCEPT", "REJECT"].contains(traffic) else {
            throw MalformedSpecText(what: "attribute 'traffic'", text: traffic, form: "ALL, ACCEPT or REJECT")
        }
        retentionDays = try reader.int("retention_days")
        guard Self.retentionPeriods.contains(retentionDays) else {
            throw MalformedSpecText(what: "attribute 'retention_days'", text: "\(retentionDays)", form: "a period CloudWatch Logs offers")
        }
    }

    public var attributes: [String: String] {
        var attributes = ["network": network.description, "traffic": traffic, "retention_days": "\(retentionDays)"]
        attributes.set("key", key?.description)
        return attributes
    }
}
