import ArgumentParser
import CatalyzeAccess
import CatalyzeCore

/// `catalyze access list [--json]`: every grant with its status.
struct AccessListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List grants, newest first: active, pending, expired and revoked.")

    @OptionGroup var options: AccessOptions

    @Flag(help: "Print JSON (with format_version).")
    var json = false

    func run() throws {
        let listing = try reportingAccessFailures {
            try AccessServiceFactory.service(options.paths).list()
        }
        let views = AccessViews(terminal: .current)
        print(json ? try views.listJSON(listing) : views.listTable(listing))
    }
}
