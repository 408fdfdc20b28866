import CatalyzeAWS
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeRackspace

/// Each cloud's driver, made from the environment: one line per cloud. What each cloud offers is
/// its `CloudCatalog` entry (in `CatalyzeModel`, where `validate` reads it without drivers).
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

    /// Makes `provider`'s driver.
    static func make(_ provider: Provider, _ context: Context) throws -> CloudDriver {
        switch provider {
        case .aws: try AWSDriver.fromEnvironment(context.environment, transport: context.transport)
        case .rax: try RackspaceDriver.fromEnvironment(context.environment, transport: context.transport, cloudsYAML: context.cloudsYAML())
        }
    }
}
