import ArgumentParser
import CatalyzeCore
import CatalyzePlanner
import Foundation

/// `catalyze show PLANFILE`: a saved plan, as `plan` printed it when it was made.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a plan saved with `catalyze plan --out`, as plan printed it (--json: as plan --json).")

    @Argument(help: ArgumentHelp("A plan saved with `catalyze plan --out`.", valueName: "planfile"), completion: .file())
    var planFile: String

    @Flag(help: "Print JSON, in plan --json's shape.")
    var json = false

    func run() throws {
        let saved: PlanFile.Saved
        do {
            saved = try PlanFile.read(planFile)
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
        if json {
            print(try jsonText(PlanJSON(saved.plan, placement: saved.placement)))
        } else {
            print(PlanView(terminal: .current).render(saved.plan))
        }
    }
}
