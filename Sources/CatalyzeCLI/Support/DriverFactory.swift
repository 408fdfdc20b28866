import ArgumentParser
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// Makes the drivers of the clouds a manifest uses (through `DriverRegistry`), configured from
/// the environment and the network options.
struct DriverFactory {
    /// The process environment (credentials, endpoints, `HOME`).
    let environment: [String: String]
    /// `--connect-timeout`, `--request-timeout`.
    let network: NetworkOptions

    /// One driver per cloud in `providers`; prints the error and fails when one cannot be made.
    func drivers(for providers: Set<Provider>) throws -> [Provider: CloudDriver] {
        var drivers: [Provider: CloudDriver] = [:]
        do {
            let transport = CurlTransport(timeouts: try network.timeouts(environment: environment))
            let context = DriverRegistry.Context(environment: environment, transport: transport, cloudsYAML: cloudsYAML)
            for provider in Provider.allCases where providers.contains(provider) {
                drivers[provider] = try DriverRegistry.make(provider, context)
            }
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
        return drivers
    }

    /// `clouds.yaml` from `.`, `~/.config/openstack` or `/etc/openstack`, the first found.
    func cloudsYAML() -> String? {
        let home = environment["HOME"] ?? ""
        for folder in [".", "\(home)/.config/openstack", "/etc/openstack"] {
            if let text = try? String(contentsOfFile: "\(folder)/clouds.yaml", encoding: .utf8) { return text }
        }
        return nil
    }
}
