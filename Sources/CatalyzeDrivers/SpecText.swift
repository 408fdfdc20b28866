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
