import ArgumentParser
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeState
import CatalyzeStateBackends
import Foundation

/// `--backend URL`, shared by every command that reads or writes state. Both it and
/// `CATALYZE_BACKEND` are checked before anything runs: a malformed URL is a usage error (exit 64)
/// naming the wrong part.
struct BackendOptions: ParsableArguments {
    /// The environment variable that names the backend when no flag does.
    static let variable = "CATALYZE_BACKEND"

    @Option(name: .customLong("backend"), help: ArgumentHelp(
        "Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX "
            + "(default: $CATALYZE_BACKEND, then the manifest's state.backend, then the lockfile beside the manifest).",
        valueName: "url"))
    var backend: String?

    func validate() throws {
        if let backend {
            do { _ = try StateBackendURL.parse(backend) } catch { throw ValidationError("--backend: \(error)") }
        }
        if let text = ProcessInfo.processInfo.environment[Self.variable], !text.isEmpty {
            do { _ = try StateBackendURL.parse(text) } catch { throw ValidationError("\(Self.variable): \(error)") }
        }
        _ = try Self.lease(ProcessInfo.processInfo.environment)
    }

    /// The variable that sets the lease of network state locks and of fleet reservations.
    static let leaseVariable = "CATALYZE_LEASE"

    /// `CATALYZE_LEASE` (a duration of 2 s to 10 min, e.g. `10s`), else 30 s: how long a killed
    /// pipeline's lock (etcd, S3) and fleet reservations outlive it; they are renewed every third of it.
    static func lease(_ environment: [String: String]) throws -> LeasePolicy {
        guard let text = environment[leaseVariable], !text.isEmpty else { return .standard }
        guard let span = TimeSpan(parsing: text), (2...600).contains(span.seconds) else {
            throw ValidationError("\(leaseVariable) '\(text)' is not a duration from 2s to 10m, such as 10s or 1m")
        }
        return LeasePolicy(ttl: .seconds(span.seconds), poll: LeasePolicy.standard.poll)
    }

    /// The backend, by precedence: `--state PATH` (which is `--backend file:PATH`), `--backend`,
    /// `CATALYZE_BACKEND`, the manifest's `state.backend`, then the lockfile at `defaultPath`.
    func url(state: String?, environment: [String: String], manifest: StateBackendURL?, defaultPath: String) -> StateBackendURL {
        if let state { return .file(path: state) }
        if let backend, let url = try? StateBackendURL.parse(backend) { return url }
        if let text = environment[Self.variable], !text.isEmpty, let url = try? StateBackendURL.parse(text) { return url }
        return manifest ?? .file(path: defaultPath)
    }

    /// Refuses `--state` with `--backend` (two answers to one question).
    static func checkExclusive(state: String?, backend: String?) throws {
        if state != nil && backend != nil {
            throw ValidationError("--state PATH and --backend URL both name the state; give one (--state PATH is --backend file:PATH)")
        }
    }

    /// The store for `url`; prints why it cannot be made (e.g. no AWS credentials) and fails.
    static func store(
        _ url: StateBackendURL, pod: String, environment: [String: String], timeouts: NetworkTimeouts, profile: Profile?
    ) throws -> any StateStore {
        do {
            let policy: S3StateStore.BucketPolicy = profile == .dev ? .warn { printError("warning: \($0)") } : .refuse
            return try StateBackends.store(
                url, .init(pod: pod, environment: environment, timeouts: timeouts, bucketPolicy: policy,
                           lease: (try? lease(environment)) ?? .standard))
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    /// `CATALYZE_CONNECT_TIMEOUT` / `CATALYZE_REQUEST_TIMEOUT` for the commands without
    /// `--connect-timeout`/`--request-timeout` (state, force-unlock, access); unreadable ones are ignored.
    static func environmentTimeouts(_ environment: [String: String]) -> NetworkTimeouts {
        func seconds(_ name: String) -> TimeInterval? {
            guard let text = environment[name], let span = TimeSpan(parsing: text), span.seconds >= 1 else { return nil }
            return TimeInterval(span.seconds)
        }
        var timeouts = NetworkTimeouts.standard
        if let connect = seconds("CATALYZE_CONNECT_TIMEOUT") { timeouts.connect = connect }
        if let request = seconds("CATALYZE_REQUEST_TIMEOUT") { timeouts.request = request }
        return timeouts
    }

    /// How messages name the state: the lockfile's path, or the network store's location.
    static func location(_ store: any StateStore, _ url: StateBackendURL) -> String {
        switch store {
        case let file as FileStateStore: file.path
        case let s3 as S3StateStore: s3.location
        case let etcd as EtcdStateStore: etcd.location
        default: url.description
        }
    }
}
