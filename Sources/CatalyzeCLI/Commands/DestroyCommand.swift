import ArgumentParser

/// `catalyze destroy`: remove everything the pod has, dependents first.
struct DestroyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destroy",
        abstract: "Delete every resource of the pod (and anything left tagged for it).")

    @OptionGroup var pod: PodOptions

    @Flag(help: "Do not ask for confirmation.")
    var autoApprove = false

    @Option(help: "Most actions in flight at once.")
    var parallelism: Int = 10

    @Flag(help: "Print progress as JSON lines.")
    var json = false

    func run() async throws {
        try await ApplyRunner(
            session: try Session(pod), command: "destroy", destroy: true, autoApprove: autoApprove,
            parallelism: parallelism, json: json
        ).run(savedPlan: nil)
    }
}
