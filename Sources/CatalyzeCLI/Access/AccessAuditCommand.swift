import ArgumentParser
import CatalyzeAccess
import CatalyzeCore

/// `catalyze access audit [--verify] [--json]`: the hash-chained log of every grant, revoke, expose and conceal.
struct AccessAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the access audit log, or verify its hash chain (--verify exits 1 when it was tampered with).")

    @OptionGroup var options: AccessOptions

    @Flag(help: "Check that no entry was edited, removed or reordered.")
    var verify = false

    @Flag(help: "Print JSON (with format_version).")
    var json = false

    func run() throws {
        let service = AccessServiceFactory.service(options.paths)
        let views = AccessViews(terminal: .current)
        guard verify else {
            let entries = try reportingAccessFailures { try service.auditEntries() }
            print(json ? try views.auditJSON(entries) : views.auditTable(entries))
            return
        }
        let verification = try reportingAccessFailures { try service.verifyAudit() }
        if json {
            print(try views.verificationJSON(verification))
        } else {
            for problem in verification.problems { printError("error: \(verification.path): \(problem)") }
            if verification.isIntact { print(views.verificationSummary(verification)) }
        }
        if !verification.isIntact { throw ExitCode.failure }
    }
}
