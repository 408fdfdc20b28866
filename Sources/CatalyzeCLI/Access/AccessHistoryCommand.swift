import ArgumentParser
import CatalyzeAccess
import CatalyzeCore
import CatalyzeOperations
import Foundation

/// `catalyze access history [--json]`: every expose and conceal of the pod, the billing record of
/// paid customer access, read from the signed audit log.
struct AccessHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show every expose and conceal of the logging and monitoring endpoints (the billing record of paid access).",
        discussion: """
            Read from the hash-chained, signed access audit log beside the lockfile (access audit --verify proves it \
            untouched): each switch with its time, endpoint, customer networks, who made it (an OS account, or \
            `catalyze serve token <name>` for the HTTP API), the firewall-rule changes it made (none when the endpoint \
            already was so) and whether every change went through. An endpoint is billed from an expose to the \
            next conceal of the same endpoint.
            """)

    @OptionGroup var options: AccessOptions

    @Flag(help: "Print JSON (with format_version).")
    var json = false

    func run() throws {
        let entries = try reportingAccessFailures { try AccessServiceFactory.service(options.paths).auditEntries() }
        let history = ExposureHistory(entries: entries)
        if json {
            print(try jsonText(ExposureHistoryJSON(events: history.events)))
            return
        }
        guard !history.events.isEmpty else {
            print("No expose or conceal recorded.")
            return
        }
        for event in history.events {
            let networks = event.action == "expose" ? " to \(event.cidrs.joined(separator: ", "))" : ""
            let changes = event.ruleChanges.isEmpty ? "no rule change" : "\(event.ruleChanges.count) rule change\(event.ruleChanges.count == 1 ? "" : "s")"
            let flags = (event.complete ? "" : ", INCOMPLETE") + (event.signed ? "" : ", unsigned")
            print("\(event.sequence)  \(event.time)  \(event.action) \(event.service)\(networks)  by \(event.actor)  (\(changes)\(flags))")
        }
    }
}

/// `access history --json` (docs/json.md, `access-history`).
struct ExposureHistoryJSON: Encodable {
    var format_version = JSONFormat.version
    let events: [ExposureHistory.Event]
}
