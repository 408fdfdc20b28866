import ArgumentParser
import CatalyzeCore
import CatalyzeExecutor
import Foundation

/// `catalyze apply [PLANFILE]`: carry a plan out, keeping the lockfile true throughout.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create, change and delete cloud resources so that the pod matches its manifest.",
        discussion: """
            Without <plan-file>, plans first and asks for confirmation (refusing when standard input is not a \
            terminal, unless --auto-approve). With <plan-file>, applies exactly that plan, and refuses when the \
            lockfile changed since it was made. A plan that deletes or replaces an encrypted volume is refused \
            without --force-destroy-data. Ctrl-C stops new actions, lets running ones finish and saves. \
            Members of an anti-affinity group that are replaced (a new image or size) go one at a time, \
            each new member's load-balancer target healthy before the next old member goes; where the fleet \
            has room the new member is made before its old one goes (create-before-destroy, as the plan shows), \
            else the old one goes first (destroy-then-create, always for databases); a member not \
            healthy within --health-timeout stops the rollout there (exit 1, naming it), the others still serving.
            """)

    @Argument(help: "A plan saved with `catalyze plan --out`.", completion: .file())
    var planFile: String?

    @OptionGroup var pod: PodOptions

    @Flag(help: "Do not ask for confirmation.")
    var autoApprove = false

    @Flag(help: "Allow deleting or replacing encrypted volumes (their data is lost).")
    var forceDestroyData = false

    @Option(help: "Most actions in flight at once (backs off when the cloud throttles).")
    var parallelism: Int = 10

    @Option(help: ArgumentHelp(
        "How long each new member of a rolling replacement may take to pass its load balancer's health check (e.g. 90s, 5m; default 5m, or CATALYZE_HEALTH_TIMEOUT).",
        valueName: "duration"))
    var healthTimeout: String?

    @Flag(help: "Print progress as JSON lines.")
    var json = false

    @Option(name: .customLong("replace"), help: ArgumentHelp(
        "Replace this instance although nothing about it changed, rolled like any replacement, e.g. to move a host made before 0.2.0 to the new principal form (repeatable; REGION/instance.NAME).",
        valueName: "address"))
    var replace: [String] = []

    func validate() throws {
        guard (1...256).contains(parallelism) else { throw ValidationError("--parallelism must be 1-256") }
        if planFile != nil && !replace.isEmpty {
            throw ValidationError("--replace: a saved plan is applied exactly as it was made; pass --replace to `catalyze plan --out` instead")
        }
        _ = try healthWait()
    }

    /// `--health-timeout`, else `CATALYZE_HEALTH_TIMEOUT`, else `Executor.defaultHealthWait`.
    func healthWait() throws -> Duration {
        let (text, source) = healthTimeout.map { ($0, "--health-timeout") }
            ?? ProcessInfo.processInfo.environment["CATALYZE_HEALTH_TIMEOUT"].map { ($0, "CATALYZE_HEALTH_TIMEOUT") }
            ?? ("", "")
        guard !source.isEmpty else { return Executor.defaultHealthWait }
        guard let span = TimeSpan(parsing: text), span.seconds > 0 else {
            throw ValidationError("\(source) '\(text)' is not a duration such as 90s, 5m or 1h")
        }
        return .seconds(span.seconds)
    }

    func run() async throws {
        let session = try Session(pod)
        let saved = try planFile.map { path in
            do { return try PlanFile.read(path).plan } catch {
                printError("error: \(error)")
                throw ExitCode.failure
            }
        }
        try await ApplyRunner(
            session: session, command: "apply", destroy: false, autoApprove: autoApprove,
            forceDestroyData: forceDestroyData, parallelism: parallelism, json: json, healthWait: try healthWait(),
            replace: replace
        ).run(savedPlan: saved)
    }
}
