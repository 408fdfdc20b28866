import ArgumentParser

/// `catalyze destroy`: remove everything the pod has, dependents first.
struct DestroyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destroy",
        abstract: "Delete every resource of the pod (and anything left tagged for it).",
        discussion: """
            Deleting encrypted volumes needs --force-destroy-data. A hipaa pod's destroy \
            asks for the pod's name on a terminal; off a terminal it needs --auto-approve --force-destroy-data.
            """)

    @OptionGroup var pod: PodOptions

    @Flag(help: "Do not ask for confirmation.")
    var autoApprove = false

    @Flag(help: "Allow deleting or replacing encrypted volumes (their data is lost).")
    var forceDestroyData = false

    @Option(help: "Most actions in flight at once.")
    var parallelism: Int = 10

    @Flag(help: "Print progress as JSON lines.")
    var json = false

    func run() async throws {
        try await ApplyRunner(
            session: try Session(pod), command: "destroy", destroy: true, autoApprove: autoApprove,
            forceDestroyData: forceDestroyData, parallelism: parallelism, json: json
        ).run(savedPlan: nil)
    }
}
