import ArgumentParser
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState
import Foundation

/// The outside world as the commands see it: the manifest (`ManifestSource`), the environment,
/// the drivers (`DriverFactory`), the secrets (`ManifestSecrets`) and the lockfile with its lock.
struct Session {
    let options: PodOptions
    /// The manifest with the run-time customer-access switches applied (what plans are made of).
    let manifest: PodManifest
    /// The manifest as written.
    let declaredManifest: PodManifest
    let environment: [String: String]
    /// The position of every manifest value, by path (for errors about a reference).
    let locations: [String: SourceLocation]
    /// Where the state lives (`--state`/`--backend`, `CATALYZE_BACKEND`, `state.backend`, the default).
    let backend: StateBackendURL
    /// The state store for `backend`: one handle for the whole command, so a network store's
    /// compare-and-swap follows the version this run read and wrote.
    let store: any StateStore

    /// Loads and validates the manifest; prints its diagnostics and fails when it has errors.
    init(_ options: PodOptions) throws {
        self.options = options
        environment = ProcessInfo.processInfo.environment
        let source = try ManifestSource(options)
        manifest = source.manifest
        declaredManifest = source.declared
        locations = source.locations
        backend = options.backendOptions.url(
            state: options.state, environment: environment, manifest: manifest.state.backend, defaultPath: options.statePath)
        var timeouts = NetworkTimeouts.standard
        if backend.isRemote {  // a file store makes no request: its commands never read the timeouts for it
            do { timeouts = try options.network.timeouts(environment: environment) } catch {
                printError("error: \(error)")
                throw ExitCode.failure
            }
        }
        store = try BackendOptions.store(
            backend, pod: manifest.pod.name, environment: environment, timeouts: timeouts, profile: manifest.profile)
    }

    /// How messages name the state: the lockfile's path, or the network store's location.
    var stateLocation: String { BackendOptions.location(store, backend) }

    /// One driver per cloud the manifest uses, configured from the environment.
    func drivers() throws -> [Provider: CloudDriver] {
        try DriverFactory(environment: environment, network: options.network).drivers(for: Set(manifest.regions.map(\.provider)))
    }

    /// The customer's SSH CA public key (from `access.caPublicKey`), or "" when none is set.
    func sshCA() throws -> String {
        do {
            return try CustomerCAKey.line(reference: manifest.access.caPublicKey, manifestFolder: options.manifestFolder) ?? ""
        } catch {
            // At the key's manifest position when the loader recorded it.
            printError("\(locations["access.caPublicKey"]?.description ?? options.file): error: \(error)")
            throw ExitCode.failure
        }
    }

    /// Fails, printing each at its manifest position, when a reference a change of `plan` needs
    /// cannot be read (see `ReferenceCheck`).
    func checkReferences(_ plan: Plan) throws {
        try ReferenceCheck(environment: environment, folder: options.manifestFolder)
            .enforce(declaredManifest.references(locations: locations), plan: plan)
    }

    /// Reads `env:` and `file:` references when a driver needs the secret (never stored, never printed).
    var secrets: SecretResolver { ManifestSecrets(environment: environment, folder: options.manifestFolder).resolver }

    /// Who holds an apply lease (`LineageLease.holder`): `user@host pid N`, short enough for a tag.
    var leaseHolder: String {
        let user = environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        return String("\(user)@\(host)".prefix(20)) + " pid \(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Who asks for the state lock, to run `command`.
    func lockRequest(command: String) -> LockRequest { Self.lockRequest(command: command, environment: environment) }

    /// Who asks for the state lock, to run `command`: this process, its host, and the user
    /// `environment` names (also for commands without a session, such as `state migrate`).
    static func lockRequest(command: String, environment: [String: String]) -> LockRequest {
        LockRequest(
            id: UUID().uuidString.lowercased(), pid: ProcessInfo.processInfo.processIdentifier,
            host: ProcessInfo.processInfo.hostName, user: environment["USER"] ?? environment["LOGNAME"] ?? "unknown",
            command: command, createdAt: Date())
    }

    /// Takes the lockfile's lock for `command`, or prints who holds it and fails.
    func lock(command: String) throws -> StateLock {
        do {
            return try store.lock(lockRequest(command: command), timeout: options.lockWait)
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    /// The lockfile, or nil when there is none yet; prints and fails on a bad one.
    func loadLockfile() throws -> Lockfile? {
        do {
            let lockfile = try store.load()
            if let lockfile, lockfile.pod != manifest.pod.name {
                printError("error: \(stateLocation) belongs to pod '\(lockfile.pod)', not '\(manifest.pod.name)'; use --state or --backend to pick the right state")
                throw ExitCode.failure
            }
            return lockfile
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }
}
