import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// Resolves the manifest's `env:` and `file:` secret references when a driver needs the secret
/// (never stored, never printed); `kms:` is not read by this release.
struct ManifestSecrets {
    /// Where `env:` names are looked up.
    let environment: [String: String]
    /// What a relative `file:` path is relative to: the manifest's folder.
    let folder: String

    /// The resolver the executor hands to the drivers.
    var resolver: SecretResolver {
        let environment = self.environment
        let folder = self.folder
        return SecretResolver { reference in
            switch reference {
            case .environment(let name):
                guard let value = environment[name], !value.isEmpty else { throw DriverError.secretUnavailable(reference) }
                return Secret(value)
            case .file(let path):
                let full = path.hasPrefix("/") ? path : (folder as NSString).appendingPathComponent(path)
                guard let text = try? String(contentsOfFile: full, encoding: .utf8) else {
                    throw DriverError.secretUnavailable(reference)
                }
                return Secret(text)
            case .keyService:
                throw DriverError.secretUnavailable(reference)
            }
        }
    }
}
