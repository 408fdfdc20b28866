import ArgumentParser
import CatalyzeCore
import CatalyzeModel
import CatalyzeState
import Foundation

/// `catalyze state list | show ADDRESS`: read the lockfile (no lock taken: reading is safe);
/// `catalyze state migrate --to URL`: move it to a shared backend.
public struct StateCommand: ParsableCommand {
    /// Command configuration.
    public static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Inspect the lockfile, or move it to a shared backend.",
        subcommands: [List.self, Show.self, Migrate.self])

    /// Creates the command (ArgumentParser).
    public init() {}

    /// `catalyze state list [--state PATH] [--json]`.
    public struct List: ParsableCommand {
        /// Command configuration.
        public static let configuration = CommandConfiguration(abstract: "List every resource in the lockfile, by address.")
        /// `--state`.
        @OptionGroup public var options: StateOptions
        /// `--json`.
        @Flag(name: .long, help: "Print JSON (with format_version).") public var json = false

        /// Creates the command (ArgumentParser).
        public init() {}

        /// Loads the lockfile and prints the list.
        public func run() throws {
            let lockfile = try StateCommand.load(options)
            StateCommand.warn(StateView.pendingWarnings(lockfile))
            print(json ? try StateView.listJSON(lockfile) : StateView.list(lockfile), terminator: "")
        }
    }

    /// `catalyze state show ADDRESS [--state PATH] [--json]`.
    public struct Show: ParsableCommand {
        /// Command configuration.
        public static let configuration = CommandConfiguration(abstract: "Show one resource as the lockfile records it.")
        /// The address, `region/kind.name`.
        @Argument(help: ArgumentHelp("The resource's address, e.g. primary/instance.app01.", valueName: "address"),
                  completion: Completions.addresses)
        public var address: String
        /// `--state`.
        @OptionGroup public var options: StateOptions
        /// `--json`.
        @Flag(name: .long, help: "Print JSON (with format_version).") public var json = false

        /// Creates the command (ArgumentParser).
        public init() {}

        /// Checks the address's shape.
        public func validate() throws {
            guard ResourceAddress(parsing: address) != nil else {
                throw ValidationError("'\(address)' is not an address like primary/instance.app01")
            }
        }

        /// Loads the lockfile and prints the resource.
        public func run() throws {
            let (store, _, path) = try options.stateStore()
            let lockfile = try StateCommand.load(store, location: path)
            let wanted = ResourceAddress(parsing: address)!
            guard let record = lockfile.resources[wanted] else {
                throw StateCommandError.noSuchResource(path: path, address: wanted, similar: StateCommand.similar(to: wanted, in: lockfile))
            }
            print(json ? try StateView.showJSON(record) : StateView.show(record), terminator: "")
        }
    }

    static func load(_ options: StateOptions) throws -> Lockfile {
        let (store, _, location) = try options.stateStore()
        return try load(store, location: location)
    }

    static func load(_ store: any StateStore, location: String) throws -> Lockfile {
        guard let lockfile = try store.load() else { throw StateCommandError.noLockfile(path: location) }
        return lockfile
    }

    static func similar(to address: ResourceAddress, in lockfile: Lockfile) -> [ResourceAddress] {
        lockfile.resources.keys.filter { $0.name == address.name || ($0.kind == address.kind && $0.region == address.region) }
            .sorted().prefix(5).map { $0 }
    }

    static func warn(_ lines: [String]) {
        for line in lines { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}

/// Problems of the `state` commands that are not the store's.
public enum StateCommandError: Error, Hashable, CustomStringConvertible {
    /// No lockfile at the path.
    case noLockfile(path: String)
    /// The lockfile has no resource at the address.
    case noSuchResource(path: String, address: ResourceAddress, similar: [ResourceAddress])

    /// The message shown to the user.
    public var description: String {
        switch self {
        case .noLockfile(let path):
            return "\(path): no lockfile (nothing applied yet, or pass --state PATH)"
        case let .noSuchResource(path, address, similar):
            let hint = similar.isEmpty ? "" : "; did you mean \(similar.map { "`\($0)`" }.joined(separator: ", "))?"
            return "\(path): no resource at \(address)\(hint)"
        }
    }
}
