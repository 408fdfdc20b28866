import CatalyzeDrivers
import CatalyzeModel

/// The one table of Rackspace handlers: `apply`, `refresh` and `tag` find a kind's handler here.
enum RackspaceHandlers {
    /// Every handler, one per kind, as the `Registry` build plugin lists them. Order does not
    /// matter: the table is keyed by each handler's own `kind`, and refresh reads in kind rank
    /// order (`ranked`).
    static let table: [ResourceKind: any RackspaceResourceHandler] = Dictionary(
        // Two handlers of one kind keep the first by name; the handler tests count them, so that
        // is a failing test rather than a crash at start-up.
        registeredRackspaceResourceHandler.map { $0.init() }.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })

    /// The handlers in kind rank order (dependencies first), the order refresh reports in.
    static let ranked: [any RackspaceResourceHandler] = table.keys.sorted().compactMap { table[$0] }

    /// The handler for `kind`; a kind without one is refused as a spec Rackspace cannot realise.
    static func handler(for kind: ResourceKind, address: ResourceAddress) throws -> any RackspaceResourceHandler {
        guard let handler = table[kind] else {
            throw DriverError.invalidSpec(address: address, reason: "catalyze cannot make a \(kind) on Rackspace")
        }
        return handler
    }
}
