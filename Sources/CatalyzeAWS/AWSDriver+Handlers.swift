import CatalyzeDrivers
import CatalyzeModel

extension AWSDriver {
    /// The one table of what AWS realises: a handler per resource kind (each in `Handlers/`).
    /// `apply`, `refresh` and `tag` look kinds up here; refresh runs them in kind rank order (a
    /// kind's read-back finds the addresses of the kinds it refers to, which rank earlier).
    static let handlers: [ResourceKind: any AWSResourceHandler] = {
        let all: [any AWSResourceHandler] = [
            NetworkHandler(), FirewallHandler(), FirewallRuleHandler(), VPNHandler(), KeyHandler(), VolumeHandler(),
            InstanceHandler(), AttachmentHandler(), LoadBalancerHandler(), LBTargetHandler(), BackupPlanHandler(), FlowLogHandler(),
        ]
        return Dictionary(uniqueKeysWithValues: all.map { ($0.kind, $0) })
    }()

    /// The handler of `kind`, or an `invalidSpec` error naming the address when AWS has none.
    static func handler(for kind: ResourceKind, address: ResourceAddress) throws -> any AWSResourceHandler {
        guard let handler = handlers[kind] else {
            throw DriverError.invalidSpec(address: address, reason: "AWS does not make a \(kind)")
        }
        return handler
    }
}
