import ArgumentParser

/// The root command: configuration and subcommands only.
public struct CatalyzeCommand: AsyncParsableCommand {
    /// Command configuration.
    public static let configuration = CommandConfiguration(
        commandName: "catalyze",
        abstract: "Provision HIPAA-grade customer pods on AWS and Rackspace.",
        version: "0.1.0",
        subcommands: [
            InitCommand.self, ValidateCommand.self, HostsCommand.self, PlanCommand.self, ApplyCommand.self,
            DestroyCommand.self, GraphCommand.self,
            StateCommand.self, ForceUnlockCommand.self,
            AccessCommand.self,
        ])

    /// Creates the command (ArgumentParser).
    public init() {}
}
