import ArgumentParser
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// Makes the drivers of the clouds a manifest uses (through `DriverRegistry`), configured from
/// the environment and the network options. Every command that speaks to a cloud gets its drivers here.
struct DriverFactory: Sendable {
    /// The process environment (credentials, endpoints, `HOME`).
    let environment: [String: String]
    /// `--connect-timeout`, `--request-timeout` (else their variables, else the defaults), or why they cannot be read.
    let timeouts: Result<NetworkTimeouts, any Error>

    /// A factory with the timeouts `network` gives.
    init(environment: [String: String], network: NetworkOptions) {
        self.environment = environment
        timeouts = Result { try network.timeouts(environment: environment) }
    }

    /// A factory with the timeouts of the environment (`CATALYZE_CONNECT_TIMEOUT`, …), else the
    /// defaults: for a command whose own `--connect-timeout` means something else (`push-krl`).
    init(environment: [String: String]) {
        self.environment = environment
        timeouts = Result { try NetworkOptions.timeouts(connect: nil, request: nil, environment: environment) }
    }

    /// One driver per cloud in `providers`; prints the error and fails when one cannot be made.
    func drivers(for providers: Set<Provider>) throws -> [Provider: CloudDriver] {
        do {
            return try make(for: providers)
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    /// One driver per cloud in `providers`; throws why one cannot be made (a missing credential,
    /// an unreadable timeout), never a secret.
    func make(for providers: Set<Provider>) throws -> [Provider: CloudDriver] {
        var drivers: [Provider: CloudDriver] = [:]
        let transport = CurlTransport(timeouts: try timeouts.get())
        let context = DriverRegistry.Context(environment: environment, transport: transport, cloudsYAML: cloudsYAML)
        for provider in Provider.allCases where providers.contains(provider) {
            drivers[provider] = try DriverRegistry.make(provider, context)
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
