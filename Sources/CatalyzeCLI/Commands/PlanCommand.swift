import ArgumentParser
import CatalyzeCore
import CatalyzeExecutor
import Foundation

/// `catalyze plan`: what would change, and why.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would change: read the manifest, the lockfile and the cloud, place, and diff.",
        discussion: "With --detailed-exitcode: exit 0 when there is nothing to do, 2 when there are changes, 1 on error.")

    @OptionGroup var pod: PodOptions

    @Option(help: "Save the plan to this file, for `catalyze apply <plan-file>`.", completion: .file())
    var out: String?

    @Flag(help: "Print the plan as JSON.")
    var json = false

    @Flag(help: "Show every host's bid for every container.")
    var explain = false

    @Flag(help: "Exit 2 when the plan has changes, 0 when it has none.")
    var detailedExitcode = false

    @Option(name: .customLong("replace"), help: ArgumentHelp(
        "Replace this instance although nothing about it changed, e.g. to roll a host made before 0.2.0 onto the new principal form (repeatable; REGION/instance.NAME).",
        valueName: "address"))
    var replace: [String] = []

    func run() async throws {
        let session = try Session(pod)
        let lockfile = try session.loadLockfile()
        let replacing = try ReplaceOption.addresses(replace, lockfile: lockfile)
        let engine = PodEngine(drivers: try session.drivers(), clock: SystemClock())
        let sshCA = try session.sshCA()
        // Placement counts other pipelines' fleet reservations, as `apply` will.
        let reserved = try session.otherReservations()
        let outcome = try await reportingFailures(manifest: session.manifest) {
            try await engine.plan(
                session.manifest, lockfile: lockfile, sshCA: sshCA, explain: explain,
                newLineage: UUID().uuidString.lowercased(), replacing: replacing, reserved: reserved)
        }
        // Every secret and file a change needs, readable before the changes are proposed.
        try session.checkReferences(outcome.plan)
        if let out {
            do { try PlanFile.write(outcome.plan, traces: outcome.traces, to: out) } catch {
                printError("error: cannot write plan file \(out): \(PlainWords.fileProblem(error))")
                throw ExitCode.failure
            }
        }
        if json {
            print(try jsonText(PlanJSON(outcome.plan, traces: outcome.traces)))
        } else {
            print(PlanView(terminal: .current).render(outcome.plan, traces: outcome.traces, explain: explain))
            if let out { print("\nSaved the plan to \(out). Apply exactly it with: catalyze apply \(out)") }
        }
        if detailedExitcode && !outcome.plan.isEmpty { throw ExitCode(2) }
    }
}
