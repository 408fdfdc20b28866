import ArgumentParser
import CatalyzeAccess
import CatalyzeManifest
import CatalyzeState
import Foundation

/// Options every `access` subcommand shares: where the manifest and the lockfile are (the access files
/// live beside the lockfile).
struct AccessOptions: ParsableArguments {
    @Option(name: [.short, .customLong("file")], help: "The pod manifest (read for the pod name and TTL caps when present).",
            completion: .file(extensions: ["yaml", "yml"]))
    var file: String = "pod.yaml"

    @Option(name: .customLong("state"), help: "The lockfile (default: catalyze.lock.json beside the manifest).",
            completion: .file(extensions: ["json"]))
    var state: String?

    /// The lockfile path.
    var statePath: String {
        if let state { return state }
        let folder = (file as NSString).deletingLastPathComponent
        return folder.isEmpty ? "catalyze.lock.json" : (folder as NSString).appendingPathComponent("catalyze.lock.json")
    }

    /// `--backend URL`: where the lockfile is read from (the access files themselves stay beside
    /// the local lockfile path in this release).
    @OptionGroup var backendOptions: BackendOptions

    func validate() throws {
        try BackendOptions.checkExclusive(state: state, backend: backendOptions.backend)
    }

    /// The lockfile from the backend the options name (see `BackendOptions.url`); nil when none
    /// is stored. A network backend needs the manifest, for the pod's name.
    func loadLockfile(_ manifest: PodManifest?) throws -> Lockfile? {
        let environment = ProcessInfo.processInfo.environment
        let url = backendOptions.url(
            state: state, environment: environment, manifest: manifest?.state.backend, defaultPath: statePath)
        if case .file(let path) = url { return try FileStateStore(path: path).load() }
        guard let manifest else {
            printError("error: \(url) holds many pods, each under its name: pass -f MANIFEST so catalyze knows which")
            throw ExitCode.failure
        }
        let store = try BackendOptions.store(
            url, pod: manifest.pod.name, environment: environment, timeouts: BackendOptions.environmentTimeouts(environment),
            profile: manifest.profile)
        return try store.load()
    }

    /// The manifest's folder (relative `file:` references are read from there).
    var manifestFolder: String {
        let folder = (file as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// The access files, beside the lockfile.
    var paths: AccessPaths { AccessPaths(besideLockfile: statePath) }

    /// The manifest when the file exists; prints its errors and fails when it is invalid.
    func manifest() throws -> PodManifest? {
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        let result = ManifestLoader.load(path: file)
        guard let manifest = result.manifest else {
            let view = DiagnosticView(terminal: Terminal(stdoutIsTTY: false, stdinIsTTY: false, color: Terminal.current.color))
            for diagnostic in result.diagnostics where diagnostic.severity == .error { printError(view.render(diagnostic.diagnostic)) }
            throw ExitCode.failure
        }
        return manifest
    }

    /// The public halves audit signatures are checked with, from the manifest (`access.caPublicKey`,
    /// `access.operatorPublicKey`); none without a manifest. A named key that cannot be read fails at its position.
    func auditKeys(_ manifest: PodManifest?) throws -> AuditKeys {
        guard let manifest else { return AuditKeys(ca: nil, operator: nil) }
        return AuditKeys(
            ca: try publicKey(manifest.access.caPublicKey, name: "access.caPublicKey"),
            operator: try publicKey(manifest.access.operatorPublicKey, name: "access.operatorPublicKey"))
    }

    /// The key a manifest key names, or nil; an unreadable one is an error at its manifest position.
    func publicKey(_ reference: String?, name: String) throws -> SSHPublicKey? {
        try manifestPublicKey(reference, name: name, file: file, folder: manifestFolder)
    }

    @Option(name: .customLong("as"), help: ArgumentHelp(
        "Who you are (e.g. your SSO e-mail), recorded in the audit log beside your OS account (default: $CATALYZE_IDENTITY).",
        valueName: "identity"))
    var identity: String?

    /// Who is running catalyze, for the audit log: the OS account of the real user id (from the
    /// password database, never `$USER`, which may be unset or say anything), plus the identity the
    /// engineer gives with `--as` or `CATALYZE_IDENTITY`.
    var actor: String {
        get throws {
            let account = AuditActor.osAccount()
            guard let given = identity ?? ProcessInfo.processInfo.environment["CATALYZE_IDENTITY"], !given.isEmpty else {
                return account
            }
            guard AuditActor.isValidIdentity(given) else {
                throw failAccess("--as '\(given.prefix(40))…' is not an identity: at most 128 bytes, no spaces, control or bidirectional-override characters")
            }
            return "\(account) as \(given)"
        }
    }
}

/// Runs `body`; prints an access error as `error: …` (what and where, never key material) and exits 1.
func reportingAccessFailures<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        printError("error: \(error)")
        throw ExitCode.failure
    }
}

/// `reportingAccessFailures` for asynchronous work.
func reportingAccessFailures<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        printError("error: \(error)")
        throw ExitCode.failure
    }
}

/// Prints `message` as an error and exits 1.
func failAccess(_ message: String) -> ExitCode {
    printError("error: \(message)")
    return ExitCode.failure
}

/// The key a manifest key (`access.caPublicKey`, `access.operatorPublicKey`) names, or nil; an
/// unreadable one is printed at its manifest position and fails.
func manifestPublicKey(_ reference: String?, name: String, file: String, folder manifestFolder: String) throws -> SSHPublicKey? {
    do {
        guard let line = try CustomerCAKey.line(reference: reference, manifestFolder: manifestFolder, key: name) else { return nil }
        return try SSHPublicKey(authorizedKeyLine: line, source: name)
    } catch {
        let position = ManifestLoader.load(path: file).locations[name]?.description ?? file
        printError("\(position): error: \(error)")
        throw ExitCode.failure
    }
}
