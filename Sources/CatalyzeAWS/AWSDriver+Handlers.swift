import CatalyzeDrivers
import CatalyzeModel

extension AWSDriver {
    /// The one table of what AWS realises: a handler per resource kind, each in `Handlers/` and
    /// listed by the `Registry` build plugin. `apply`, `refresh` and `tag` look kinds up here;
    /// refresh runs them in kind rank order (a kind's read-back finds the addresses of the kinds it
    /// refers to, which rank earlier).
    static let handlers: [ResourceKind: any AWSResourceHandler] = Dictionary(
        // Two handlers of one kind keep the first by name; the handler tests count them, so that
        // is a failing test rather than a crash at start-up.
        registeredAWSResourceHandler.map { $0.init() }.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })

    /// The handler of `kind`, or an `invalidSpec` error naming the address when AWS has none.
    static func handler(for kind: ResourceKind, address: ResourceAddress) throws -> any AWSResourceHandler {
        guard let handler = handlers[kind] else {
            throw DriverError.invalidSpec(address: address, reason: "AWS does not make a \(kind)")
        }
        return handler
    }
}
