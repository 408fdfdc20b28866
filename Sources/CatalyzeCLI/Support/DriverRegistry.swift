import CatalyzeAWS
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeRackspace

/// Each cloud's driver, made from the environment: one line per cloud, the only shared line a new
/// cloud adds (what each cloud offers is its `CloudDescription` in `CatalyzeModel`, where `validate`
/// reads it without drivers).
enum DriverRegistry {
    /// What a driver is made from.
    struct Context {
        /// The process environment (credentials, endpoints).
        var environment: [String: String]
        /// The HTTP transport every driver shares.
        var transport: HTTPTransport
        /// `clouds.yaml`, read only by a driver that wants it.
        var cloudsYAML: () -> String?
    }

    /// Each cloud's driver maker, by cloud.
    static let makers: [Provider: @Sendable (Context) throws -> CloudDriver] = [
        .aws: { try AWSDriver.fromEnvironment($0.environment, transport: $0.transport) },
        .rax: { try RackspaceDriver.fromEnvironment($0.environment, transport: $0.transport, cloudsYAML: $0.cloudsYAML()) },
    ]

    /// Makes `provider`'s driver.
    static func make(_ provider: Provider, _ context: Context) throws -> CloudDriver {
        guard let make = makers[provider] else { throw DriverRegistryError(provider: provider) }
        return try make(context)
    }
}

/// A cloud the manifest names for which this build has no driver.
struct DriverRegistryError: Error, CustomStringConvertible {
    var provider: Provider
    var description: String { "this build of catalyze has no driver for \(provider.capabilities.displayName) ('\(provider)')" }
}
