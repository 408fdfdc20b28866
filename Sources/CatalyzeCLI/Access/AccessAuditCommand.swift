import ArgumentParser
import CatalyzeAccess
import CatalyzeCore

/// `catalyze access audit [--verify] [--json]`: the hash-chained log of every grant, revoke, expose and conceal.
struct AccessAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the access audit log, or verify its hash chain and signatures (--verify exits 1 when it was tampered with).",
        discussion: """
            Each entry is signed (Ed25519, over its hash, so over the whole chain up to it) by the key of whoever \
            acted: the customer's CA key signs grants, revokes and KRL pushes (public half: the manifest's \
            access.caPublicKey), the operator key signs exposure changes and imports (public half: \
            access.operatorPublicKey; private half: access expose/conceal --operator-key). --verify, run by anyone \
            holding the manifest (the customer's auditor, the operator), checks every signature against those \
            public halves, so a chain rewritten with recomputed hashes, anchor and all, fails without the private \
            keys. Entries written before 0.2.0 are unsigned: they are accepted only before the first signed entry \
            and reported as such; an unsigned entry after a signed one fails.
            """)

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
        let keys = try options.auditKeys(try options.manifest())
        let verification = try reportingAccessFailures { try service.verifyAudit(keys: keys) }
        if json {
            print(try views.verificationJSON(verification))
        } else {
            for problem in verification.problems { printError("error: \(verification.path): \(problem)") }
            if verification.isIntact { print(views.verificationSummary(verification)) }
        }
        if !verification.isIntact { throw ExitCode.failure }
    }
}
