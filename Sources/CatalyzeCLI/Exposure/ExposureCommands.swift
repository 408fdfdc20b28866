import ArgumentParser
import CatalyzeAccess
import CatalyzeCore
import CatalyzeExecutor
import CatalyzeManifest
import CatalyzeOperations
import CatalyzePlanner
import Foundation

/// `catalyze access expose logging|monitoring [--cidr CIDR]`: open one endpoint to the customer.
struct AccessExposeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expose",
        abstract: "Open the logging or monitoring endpoint to the customer's networks (one firewall rule, no redeploy).",
        discussion: """
            Adds the endpoint's firewall rule through the cloud's API alone: no instance is touched. The switch is \
            recorded beside the lockfile (catalyze.access.exposure.json) and wins over the manifest's customerAccess, \
            so the next plan is clean; the rule is recorded in the lockfile and the change in the access audit log.
            """)

    @Argument(help: "logging or monitoring.", completion: Completions.services)
    var service: String

    @Option(name: .customLong("cidr"), help: "A customer network to open it to (repeatable; default: the manifest's customerAccess.cidrs).")
    var cidrs: [String] = []

    @OptionGroup var pod: PodOptions

    @Flag(help: "Print the rule changes as JSON lines, as apply --json does, ending with a summary.")
    var json = false

    @Option(name: .customLong("operator-key"), help: ArgumentHelp(
        "The private half of the manifest's access.operatorPublicKey: signs the audit entry (default: $CATALYZE_OPERATOR_KEY).",
        valueName: "file"), completion: .file())
    var operatorKey: String?

    func validate() throws {
        guard ["logging", "monitoring"].contains(service) else {
            throw ValidationError("expected logging or monitoring, not '\(service)'")
        }
        for cidr in cidrs where CIDR(parsing: cidr) == nil {
            throw ValidationError("--cidr '\(cidr)' is not a CIDR block such as 192.168.10.0/24")
        }
    }

    func run() async throws {
        try await ExposureSwitchCommand(service: service, enable: true, cidrs: cidrs, options: pod, json: json, operatorKey: operatorKey).run()
    }
}

/// `catalyze access conceal logging|monitoring`: close it again.
struct AccessConcealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conceal",
        abstract: "Close the logging or monitoring endpoint to the customer (removes its firewall rule, no redeploy).")

    @Argument(help: "logging or monitoring.", completion: Completions.services)
    var service: String

    @OptionGroup var pod: PodOptions

    @Flag(help: "Print the rule changes as JSON lines, as apply --json does, ending with a summary.")
    var json = false

    @Option(name: .customLong("operator-key"), help: ArgumentHelp(
        "The private half of the manifest's access.operatorPublicKey: signs the audit entry (default: $CATALYZE_OPERATOR_KEY).",
        valueName: "file"), completion: .file())
    var operatorKey: String?

    func validate() throws {
        guard ["logging", "monitoring"].contains(service) else {
            throw ValidationError("expected logging or monitoring, not '\(service)'")
        }
    }

    func run() async throws {
        try await ExposureSwitchCommand(service: service, enable: false, cidrs: [], options: pod, json: json, operatorKey: operatorKey).run()
    }
}

/// The shared work of expose and conceal, through the library's `ExposureSwitch`.
struct ExposureSwitchCommand {
    let service: String
    let enable: Bool
    let cidrs: [String]
    let options: PodOptions
    var json = false
    var operatorKey: String?

    func run() async throws {
        let session = try Session(options)
        let reminderInterval = try ProgressPrinter.interval(environment: session.environment)
        // The audit entry's signer, before anything changes (nil: the manifest names no operator key).
        let signer = try OperatorKey.signer(session: session, path: operatorKey)
        guard let service = ExposureSwitch.Service(rawValue: service) else { throw ExitCode.validationFailure }
        let use = ExposureSwitch(
            manifest: session.declaredManifest, manifestName: options.file, store: session.store, stateName: session.stateLocation,
            exposures: ExposureFile(besideLockfile: options.statePath),
            access: AccessServiceFactory.service(AccessPaths(besideLockfile: options.statePath)),
            drivers: { try session.drivers() }, secrets: session.secrets)
        let printer = ProgressPrinter(json: json, terminal: .current, interval: reminderInterval)
        printer.start()
        let outcome: ExposureSwitch.Outcome
        do {
            outcome = try await use.run(
                ExposureSwitch.Change(service: service, expose: enable, cidrs: cidrs),
                lock: session.lockRequest(command: enable ? "access expose \(service)" : "access conceal \(service)"),
                lockWait: options.lockWait, actor: AuditActor.osAccount(), signer: signer, events: { printer.handle($0) })
        } catch let exit as ExitCode {
            printer.stop()
            throw exit
        } catch {
            printer.stop()
            printError("error: \(error)")
            throw ExitCode.failure
        }
        printer.stop()
        let report = outcome.report
        if json {
            print(compactJSON(ExposureSummaryJSON(
                service: service.rawValue, exposed: enable, cidrs: outcome.cidrs, complete: report.complete,
                rule_changes: outcome.plan.actionable.count, succeeded: report.succeeded, failed: report.failed.count,
                skipped: report.skipped)))
        }
        guard report.complete else {
            for failure in report.failed { printError("error: \(failure.address): \(failure.message)") }
            throw ExitCode.failure
        }
        if json { return }
        let count = outcome.plan.actionable.count
        let verb = enable ? "Exposed \(service.rawValue) to \(outcome.cidrs.joined(separator: ", "))" : "Concealed \(service.rawValue)"
        print("\(verb): \(count) firewall rule change\(count == 1 ? "" : "s"), no instance touched.")
    }
}

/// The last line of `access expose|conceal --json`.
struct ExposureSummaryJSON: Encodable {
    var format_version = JSONFormat.version
    var type = "summary"
    let service: String
    /// True after expose, false after conceal.
    let exposed: Bool
    /// The customer networks it is open to (empty once concealed).
    let cidrs: [String]
    let complete: Bool
    /// Firewall rules added or removed.
    let rule_changes: Int
    let succeeded: Int
    let failed: Int
    let skipped: Int
}
