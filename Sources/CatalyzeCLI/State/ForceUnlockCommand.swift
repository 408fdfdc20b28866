import ArgumentParser
import CatalyzeState
import Foundation

/// `catalyze force-unlock LOCK_ID [--state PATH | --backend URL]`: remove a lock left behind (its id is in the error).
public struct ForceUnlockCommand: ParsableCommand {
    /// Command configuration.
    public static let configuration = CommandConfiguration(
        commandName: "force-unlock",
        abstract: "Remove the state lock with this id (only when no other run is working on the pod).")

    /// The lock id, as printed by the error that reported the lock.
    @Argument(help: ArgumentHelp("The lock's id, as the lock error printed it.", valueName: "lock-id"))
    public var lockID: String
    /// `--state`.
    @OptionGroup public var options: StateOptions

    /// Creates the command (ArgumentParser).
    public init() {}

    /// Removes the lock.
    public func run() throws {
        let (store, _, location) = try options.stateStore()
        if let file = store as? FileStateStore {
            // A first apply holds the lock before it has written a lockfile, so only neither file
            // existing means the path is wrong.
            let files = FileManager.default
            guard files.fileExists(atPath: file.path) || files.fileExists(atPath: file.lockPath) else {
                throw StateCommandError.noLockfile(path: file.path)
            }
        }
        try store.forceUnlock(id: lockID)
        print("Lock \(lockID) on \(location) removed.")
    }
}
