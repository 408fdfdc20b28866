import ArgumentParser
import CatalyzeCore
import CatalyzeManifest
import CatalyzeState
import CatalyzeStateBackends
import Foundation

extension StateCommand {
    /// `catalyze state migrate --to URL [-f MANIFEST] [--state PATH | --backend file:PATH]`: moves a
    /// pod's lockfile from a file to a shared backend (S3, etcd, another file), verifies the copy,
    /// and leaves a tombstone where it was.
    public struct Migrate: ParsableCommand {
        /// Command configuration.
        public static let configuration = CommandConfiguration(
            abstract: "Move the pod's state from its lockfile to another backend, leaving a tombstone behind.",
            discussion: """
                Both states are locked; the lockfile is copied (lineage and resources unchanged, the serial \
                one higher, as after any write), read back from the new backend and compared, and only then \
                replaced by a tombstone that names the new backend (the lockfile is kept as its .backup). \
                From then on every catalyze refuses the old path: this release names the new backend, \
                catalyze 0.1.0 refuses it as a format_version it does not support. A run killed after the copy is \
                finished by running the same command again. The grants registry, audit log, revocation \
                list and exposure record stay in the manifest's folder.
                """)

        /// Where the state goes.
        @Option(name: .customLong("to"), help: ArgumentHelp(
            "The backend to move the state to: s3://BUCKET/PREFIX, etcd://HOST:PORT[,HOST:PORT...]/PREFIX or file:PATH.",
            valueName: "url"))
        public var to: String
        /// Where the state is now.
        @OptionGroup public var options: StateOptions

        /// Creates the command (ArgumentParser).
        public init() {}

        /// Checks `--to`.
        public func validate() throws {
            do { _ = try StateBackendURL.parse(to) } catch { throw ValidationError("--to: \(error)") }
        }

        /// Copies, verifies, buries.
        public func run() throws {
            let (source, sourceURL, location) = try options.stateStore()
            guard let file = source as? FileStateStore else {
                printError("error: \(sourceURL) is not a lockfile: state migrate moves a file's state to a shared backend (moving between network backends is not supported yet)")
                throw ExitCode.failure
            }
            let target = try StateBackendURL.parse(to)
            if case .file(let path) = target, URL(fileURLWithPath: path).standardizedFileURL == URL(fileURLWithPath: file.path).standardizedFileURL {
                printError("error: --to \(to) is the lockfile itself")
                throw ExitCode.failure
            }
            if let tombstone = try Self.reporting({ try file.tombstone() }) {
                printError("error: \(StateError.moved(path: location, tombstone: tombstone))")
                throw ExitCode.failure
            }
            let environment = ProcessInfo.processInfo.environment
            let request = Session.lockRequest(command: "state migrate", environment: environment)
            let sourceLock = try Self.reporting { try file.lock(request, timeout: .zero) }
            defer { try? sourceLock.release() }
            guard let lockfile = try Self.reporting({ try file.load() }) else {
                printError("error: \(location): no lockfile, nothing to migrate")
                throw ExitCode.failure
            }

            let manifest = FileManager.default.fileExists(atPath: options.file) ? ManifestLoader.load(path: options.file).manifest : nil
            if let manifest, manifest.pod.name != lockfile.pod {
                printError("error: \(location) belongs to pod '\(lockfile.pod)', not '\(manifest.pod.name)' (\(options.file))")
                throw ExitCode.failure
            }
            let store = try BackendOptions.store(
                target, pod: lockfile.pod, environment: environment, timeouts: BackendOptions.environmentTimeouts(environment),
                profile: manifest?.profile)
            let destination = BackendOptions.location(store, target)
            let targetLock = try Self.reporting { try store.lock(request, timeout: .zero) }
            defer { try? targetLock.release() }

            // Copy, unless a run killed after its copy already made it (same lineage, one serial on,
            // the same resources): then only the tombstone is left to write.
            let existing = try Self.reporting { try store.load() }
            let copied: Lockfile
            if let existing {
                guard existing.lineage == lockfile.lineage, existing.serial == lockfile.serial + 1, Self.same(existing, lockfile) else {
                    printError("error: \(destination) already holds pod '\(existing.pod)' (lineage \(existing.lineage), serial \(existing.serial)); "
                        + "state migrate does not overwrite state. Nothing was changed.")
                    throw ExitCode.failure
                }
                copied = existing
            } else {
                copied = try Self.reporting { try store.save(lockfile) }
            }
            guard let readBack = try Self.reporting({ try store.load() }), readBack.lineage == copied.lineage,
                  readBack.serial == copied.serial, Self.same(readBack, lockfile)
            else {
                printError("error: \(destination) did not read back what was written; \(location) was left as it was")
                throw ExitCode.failure
            }
            try Self.reporting {
                try file.bury(StateTombstone(
                    movedTo: target.description, movedAt: Date(), pod: lockfile.pod, lineage: lockfile.lineage, serial: lockfile.serial))
            }
            print("Moved pod '\(lockfile.pod)' (lineage \(lockfile.lineage), \(lockfile.resources.count) resources) to \(destination) at serial \(copied.serial).")
            print("\(location) is now a tombstone naming it (the lockfile is kept as \(file.backupPath)).")
            print("From now on pass --backend \(target), set CATALYZE_BACKEND=\(target), or put `state: { backend: \(target) }` in the manifest.")
        }

        /// Whether two lockfiles hold the same pod: resources, journal and pod (not serial or writer).
        static func same(_ a: Lockfile, _ b: Lockfile) -> Bool {
            a.pod == b.pod && a.resources == b.resources && a.journal == b.journal
        }

        /// Runs `body`, printing a state error as `error: …` and exiting 1.
        static func reporting<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch let exit as ExitCode { throw exit } catch {
                printError("error: \(error)")
                throw ExitCode.failure
            }
        }
    }
}
