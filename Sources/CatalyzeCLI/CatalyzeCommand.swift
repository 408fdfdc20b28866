import ArgumentParser
import CatalyzeCore

/// The root command: configuration and subcommands only.
public struct CatalyzeCommand: AsyncParsableCommand {
    /// Command configuration.
    public static let configuration = CommandConfiguration(
        commandName: "catalyze",
        abstract: "Provision HIPAA-grade customer pods on AWS and Rackspace.",
        version: BuildInfo.version,
        subcommands: [
            InitCommand.self, ValidateCommand.self, HostsCommand.self, PlanCommand.self, ApplyCommand.self,
            DestroyCommand.self, ShowCommand.self, OutputCommand.self, GraphCommand.self,
            StateCommand.self, ForceUnlockCommand.self,
            AccessCommand.self,
        ])

    /// Creates the command (ArgumentParser).
    public init() {}
}

extension CatalyzeCommand {
    /// The executable's entry point: ArgumentParser's own handling for usage errors, help and
    /// exit codes, and one format for every other error a command throws, `error: …` on standard
    /// error and exit 1 (ArgumentParser would print `Error: …`), as the commands that report their
    /// own failures do.
    public static func runMain(_ arguments: [String]? = nil) async {
        let command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
        } catch let error where error is ExitCode || error is CleanExit || error is ValidationError {
            exit(withError: error)
        } catch {
            printError("error: \(error)")
            exit(withError: ExitCode.failure)
        }
    }
}
