import CatalyzeCore
import CatalyzeModel

// The typed specs' parsers (CatalyzeModel) with their failures as a driver reports them: a
// malformed attribute or certificate bundle is `invalidSpec` for the resource that holds it.

extension ListenerSpec {
    /// The `listeners` text of `address`, typed.
    public static func list(_ text: String, address: ResourceAddress) throws(DriverError) -> [ListenerSpec] {
        do { return try list(canonical: text) } catch { throw .invalidSpec(address: address, reason: error.description) }
    }
}

extension IngressRuleSpec {
    /// The `ingress` text of `address`, typed.
    public static func list(_ text: String, address: ResourceAddress) throws(DriverError) -> [IngressRuleSpec] {
        do { return try list(canonical: text) } catch { throw .invalidSpec(address: address, reason: error.description) }
    }
}

extension PEMBundle {
    /// The bundle `secret` resolved for `address`'s certificate.
    public init(_ secret: Secret, address: ResourceAddress) throws(DriverError) {
        do { try self.init(secret) } catch { throw .invalidSpec(address: address, reason: error.description) }
    }
}

extension CloudResource {
    /// What the lockfile recorded for this resource, decoded as `wanted`'s kind for an update that
    /// compares the two. A record is not held to a plan's strictness: an older release, or refresh
    /// reading a resource back, may have written fewer keys, so a key the record lacks is taken from
    /// `wanted` (no change there); nil when a recorded value does not decode (a hand-edited
    /// lockfile), which callers treat as "changed" (the calls they then make are idempotent).
    public func recorded<Spec: KindSpec>(over wanted: Spec) -> Spec? {
        try? Spec(attributes: wanted.attributes.merging(attributes) { _, recorded in recorded })
    }

    /// What the lockfile recorded for this resource as `Spec`, for a delete (which has no wanted
    /// spec); nil when the record lacks a key or holds one that does not decode (see `recorded(over:)`).
    public func recorded<Spec: KindSpec>(_: Spec.Type) -> Spec? {
        try? Spec(attributes: attributes)
    }
}
