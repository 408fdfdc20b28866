import ArgumentParser
import CatalyzeCore

/// `catalyze apply [PLANFILE]`: carry a plan out, keeping the lockfile true throughout.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create, change and delete cloud resources so that the pod matches its manifest.",
        discussion: """
            Without <plan-file>, plans first and asks for confirmation (refusing when standard input is not a \
            terminal, unless --auto-approve). With <plan-file>, applies exactly that plan, and refuses when the \
            lockfile changed since it was made. Ctrl-C stops new actions, lets running ones finish and saves.
            """)

    @Argument(help: "A plan saved with `catalyze plan --out`.", completion: .file())
    var planFile: String?

    @OptionGroup var pod: PodOptions

    @Flag(help: "Do not ask for confirmation.")
    var autoApprove = false

    @Option(help: "Most actions in flight at once (backs off when the cloud throttles).")
    var parallelism: Int = 10

    @Flag(help: "Print progress as JSON lines.")
    var json = false

    func validate() throws {
        guard (1...256).contains(parallelism) else { throw ValidationError("--parallelism must be 1-256") }
    }

    func run() async throws {
        let session = try Session(pod)
        let saved = try planFile.map { path in
            do { return try PlanFile.read(path) } catch {
                printError("error: \(error)")
                throw ExitCode.failure
            }
        }
        try await ApplyRunner(
            session: session, command: "apply", destroy: false, autoApprove: autoApprove, parallelism: parallelism,
            json: json
        ).run(savedPlan: saved)
    }
}
