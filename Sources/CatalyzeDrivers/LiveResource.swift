import CatalyzeModel

/// A resource found in the cloud by its catalyze tags during refresh.
public struct LiveResource: Hashable, Sendable, Codable {
    /// From the `catalyze:address` tag.
    public var address: ResourceAddress
    /// What it is.
    public var kind: ResourceKind
    /// The cloud's view of it.
    public var resource: CloudResource
    /// From the `catalyze:op` tag: the idempotency token of the operation that created it.
    public var operationToken: String?
    /// From the `catalyze:lineage` tag: the lineage of the lockfile that made (or imported) it; nil
    /// when the tag is missing (made by a release before 0.2.0, or by hand). A resource that lives
    /// on another's tags (a firewall rule, an attachment, a load-balancer target) carries its
    /// carrier's lineage.
    public var lineage: String?
    /// From the `catalyze:lease` tag (on a region's firewall): an apply of its lineage is running.
    public var lease: LineageLease?

    /// Creates a live resource.
    public init(
        address: ResourceAddress, kind: ResourceKind, resource: CloudResource, operationToken: String?,
        lineage: String? = nil, lease: LineageLease? = nil
    ) {
        self.address = address
        self.kind = kind
        self.resource = resource
        self.operationToken = operationToken
        self.lineage = lineage
        self.lease = lease
    }

    /// The same resource with the lineage and lease read from `tags` (`catalyze:lineage`, `catalyze:lease`).
    public func carrying(_ tags: [String: String]) -> LiveResource {
        var copy = self
        copy.lineage = tags[CatalyzeTag.lineage].flatMap { $0.isEmpty ? nil : $0 }
        copy.lease = tags[CatalyzeTag.lease].flatMap { LineageLease(tagValue: $0, lineage: copy.lineage ?? "") }
        return copy
    }
}

/// The tag (AWS) / metadata (Rackspace) keys catalyze puts on everything it creates.
public enum CatalyzeTag {
    /// The pod's name.
    public static let pod = "catalyze:pod"
    /// The resource's address in the lockfile.
    public static let address = "catalyze:address"
    /// The write-ahead idempotency token of the operation that created it.
    public static let operation = "catalyze:op"
    /// The lineage of the lockfile that owns it (set in the create call itself; `import` re-tags).
    public static let lineage = "catalyze:lineage"
    /// On a region's firewall while an apply runs: `LineageLease.tagValue` (expiry and holder).
    public static let lease = "catalyze:lease"
    /// Marks a dedicated host as part of catalyze's fleet (any value).
    public static let fleet = "catalyze:fleet"
    /// On an instance/server: the address of the `lb_target` that put it behind a balancer.
    public static let lbTarget = "catalyze:lb-target"
    /// On an instance/server: the token of the operation that made that `lb_target`.
    public static let lbTargetOperation = "catalyze:lb-target-op"
}
