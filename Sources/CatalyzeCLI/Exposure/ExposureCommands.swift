import ArgumentParser
import CatalyzeAccess
import CatalyzeCore
import CatalyzeExecutor
import CatalyzeManifest
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
        try await ExposureSwitch(service: service, enable: true, cidrs: cidrs, options: pod, json: json, operatorKey: operatorKey).run()
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
        try await ExposureSwitch(service: service, enable: false, cidrs: [], options: pod, json: json, operatorKey: operatorKey).run()
    }
}

/// The shared work of expose and conceal: record the switch, change the rule, audit it.
struct ExposureSwitch {
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
        let lock = try session.lock(command: enable ? "access expose \(service)" : "access conceal \(service)")
        defer { try? lock.release() }
        guard let lockfile = try session.loadLockfile() else {
            printError("error: \(session.stateLocation) does not exist: apply the pod before switching access")
            throw ExitCode.failure
        }
        // Credentials and timeouts before anything is written.
        let drivers = try session.drivers()
        let settingsPath = ExposureFile.path(besideLockfile: options.statePath)
        var settings = try failing { try ExposureFile.load(settingsPath) }
        let declared = service == "logging" ? session.declaredManifest.logging.customerAccess
            : session.declaredManifest.monitoring.customerAccess
        let networks = cidrs.isEmpty ? declared.cidrs.map(\.description) : cidrs
        if enable && networks.isEmpty {
            printError("error: no customer network to open \(service) to: pass --cidr, or set \(service).customerAccess.cidrs in \(options.file)")
            throw ExitCode.failure
        }
        let override = ExposureSettings.Override(enabled: enable, cidrs: enable ? networks : [])
        if service == "logging" { settings.logging = override } else { settings.monitoring = override }
        let manifest = settings.applied(to: session.declaredManifest)
        let plan = ExposurePlan.plan(purpose: service, manifest: manifest, lockfile: lockfile)
        try failing { try ExposureFile.save(settings, to: settingsPath) }

        let printer = ProgressPrinter(
            json: json, terminal: .current, interval: reminderInterval)
        let executor = Executor(
            drivers: drivers, store: session.store, secrets: session.secrets, clock: SystemClock(),
            parallelism: 4, events: { printer.handle($0) })
        printer.start()
        let (report, _) = await executor.apply(plan, lockfile: lockfile)
        printer.stop()
        // Through the access service, so the grants registry also anchors this entry.
        let access = AccessServiceFactory.service(AccessPaths(besideLockfile: options.statePath))
        _ = try failing {
            try access.record(
                enable ? .expose : .conceal, actor: AuditActor.osAccount(),
                details: [
                    "service": service, "cidrs": override.cidrs.joined(separator: ","), "pod": manifest.pod.name,
                    "rules": plan.actionable.map { "\($0.action.rawValue) \($0.address)" }.joined(separator: "; "),
                    "complete": "\(report.complete)",
                ], signer: signer)
        }
        if json {
            print(compactJSON(ExposureSummaryJSON(
                service: service, exposed: enable, cidrs: override.cidrs, complete: report.complete,
                rule_changes: plan.actionable.count, succeeded: report.succeeded, failed: report.failed.count,
                skipped: report.skipped)))
        }
        guard report.complete else {
            for failure in report.failed { printError("error: \(failure.address): \(failure.message)") }
            throw ExitCode.failure
        }
        if json { return }
        let verb = enable ? "Exposed \(service) to \(override.cidrs.joined(separator: ", "))" : "Concealed \(service)"
        print("\(verb): \(plan.actionable.count) firewall rule change\(plan.actionable.count == 1 ? "" : "s"), no instance touched.")
    }

    private func failing<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
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
