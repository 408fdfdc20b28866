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

// What the lockfile recorded for a resource (`ApplyRequest.prior`) is not held to a plan's
// strictness: an older release, or a resource adopted from what refresh read back, may have written
// fewer keys, and a delete must work from any record. So a record is decoded without throwing.

extension CloudResource {
    /// The record as `Spec`; nil when it lacks a key the spec needs or holds one that does not
    /// decode. An update comparing it with what is wanted takes nil as "changed" (as an absent key
    /// always was): the call it then makes sets what is wanted, idempotently.
    public func recorded<Spec: KindSpec>(_: Spec.Type) -> Spec? {
        try? Spec(attributes: attributes)
    }

    /// The record as `wanted`'s kind, a key it lacks taken from `wanted` (no change there); nil
    /// when a recorded value does not decode. For a comparison whose call is not one to repeat
    /// (a volume's size: each EC2 modification blocks the next for hours).
    public func recorded<Spec: KindSpec>(over wanted: Spec) -> Spec? {
        try? Spec(attributes: wanted.attributes.merging(attributes) { _, recorded in recorded })
    }
}
