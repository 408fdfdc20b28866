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
            DestroyCommand.self, ImportCommand.self, ShowCommand.self, OutputCommand.self, GraphCommand.self,
            StateCommand.self, ForceUnlockCommand.self,
            AccessCommand.self, ServeCommand.self,
        ])

    /// Hidden: prints the manual's EXIT STATUS, ENVIRONMENT, FILES and EXAMPLES sections (mdoc), for
    /// `scripts/generate-docs.sh`.
    @Flag(name: .customLong("generate-manual-sections"), help: .private)
    var generateManualSections = false

    /// Creates the command (ArgumentParser).
    public init() {}

    /// `catalyze` alone prints its help (exit 0), as ArgumentParser does for a command group.
    public mutating func run() async throws {
        guard generateManualSections else { throw CleanExit.helpRequest(self) }
        print(ManualSections.mdoc, terminator: "")
    }
}

extension CatalyzeCommand {
    /// The executable's entry point. One exit-code rule (README, `man catalyze`, EXIT STATUS):
    /// 0 success, help (`--help`, `-h`, `help [CMD]`) and version; 1 an error, printed as
    /// `error: …` on standard error; 2 changes with `plan --detailed-exitcode` (the command throws
    /// that code itself); 64 a usage error (unknown option, missing or malformed argument), with the
    /// usage line. Everything ArgumentParser reports itself (help, completions, usage errors) keeps
    /// its own text and code; every other error a command throws is a runtime error.
    public static func runMain(_ arguments: [String]? = nil) async {
        let command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            finish(error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
        } catch let error where error is ExitCode || error is CleanExit {
            finish(error)
        } catch {
            // `help CMD` and `--help` in some positions reach here as ArgumentParser's own
            // help request, thrown from its built-in help command's `run`: not an error.
            switch exitCode(for: error) {
            case .success, .validationFailure: finish(error)
            default:
                printError("error: \(error)")
                exit(withError: ExitCode.failure)
            }
        }
    }

    /// Ends the process the way ArgumentParser would, but spells a usage error `error: …` like
    /// every other error catalyze prints (ArgumentParser writes `Error: …`).
    private static func finish(_ error: any Error) -> Never {
        let code = exitCode(for: error)
        guard code == .validationFailure, !(error is ExitCode) else { exit(withError: error) }
        var text = fullMessage(for: error)
        if text.hasPrefix("Error: ") { text = "error: " + text.dropFirst("Error: ".count) }
        printError(text)
        exit(withError: ExitCode.validationFailure)
    }
}
