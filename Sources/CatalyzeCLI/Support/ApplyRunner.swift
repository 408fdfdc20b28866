import ArgumentParser
import CatalyzeAccess
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeExecutor
import CatalyzePlanner
import CatalyzeScheduler
import CatalyzeState
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The part `apply` and `destroy` share: lock, plan (or check a saved plan), confirm, execute, report.
struct ApplyRunner {
    let session: Session
    let command: String
    let destroy: Bool
    let autoApprove: Bool
    /// `--force-destroy-data`: a plan may delete or replace encrypted volumes.
    let forceDestroyData: Bool
    let parallelism: Int
    let json: Bool
    /// How long a rolling replacement's new member may take to become healthy (`Executor.healthWait`).
    var healthWait: Duration = Executor.defaultHealthWait

    /// `--replace`: recorded instances to make anew (checked against the lockfile before any cloud call).
    var replace: [String] = []

    /// An `import`: plan only the take-over of these resources, and audit it.
    var importing: ImportSelection? = nil

    /// The lineage a lockfile made by this run gets (the plan's guard checks the cloud against it).
    let newLineage = UUID().uuidString.lowercased()

    func run(savedPlan: Plan?) async throws {
        // Settings first: a bad one must fail before the lock is taken or a lockfile written.
        let reminderInterval = try ProgressPrinter.interval(environment: session.environment)
        // An import's audit entry is signed with the operator key (CATALYZE_OPERATOR_KEY, checked
        // against access.operatorPublicKey), loaded before anything changes, as `access expose` does:
        // a missing or other key must not leave a take-over done and its entry unwritten or unsigned.
        let importSigner = importing == nil ? nil : try OperatorKey.signer(session: session, path: nil)
        let lock = try session.lock(command: command)
        defer { try? lock.release() }
        let lockfile = try session.loadLockfile()
        let replacing = try ReplaceOption.addresses(replace, lockfile: lockfile)
        let drivers = try session.drivers()
        // Read before anything changes: a new host must boot with every revocation made so far.
        let hostBoot = destroy ? HostBoot() : try session.hostBoot()
        // Fleet reservations: other pipelines' claims count against their hosts in placement; this
        // run's are claimed before anything launches (a destroy drops the pod's claims at the end).
        let reservations = importing == nil ? try session.fleetReservations(lock: lock) : nil
        var others: [String: [Reservation]] = [:]
        if let reservations, !destroy {
            do { others = try reservations.others() } catch {
                printError("error: cannot read the fleet reservations: \(error)")
                throw ExitCode.failure
            }
        }
        var plan: Plan
        var view: LiveView?
        var replanner: Replanner?
        if let savedPlan {
            plan = savedPlan
            guard plan.pod == session.manifest.pod.name else {
                printError("error: the plan is for pod '\(plan.pod)', not '\(session.manifest.pod.name)'")
                throw ExitCode.failure
            }
            if plan.lineage != lockfile?.lineage || plan.serial != (lockfile?.serial ?? 0) {
                printError("error: the lockfile changed since the plan was made (plan: serial \(plan.serial), lockfile: serial \(lockfile?.serial ?? 0)); run `catalyze plan` again")
                throw ExitCode.failure
            }
        } else {
            let engine = PodEngine(drivers: drivers, clock: SystemClock())
            let sshCA = destroy ? "" : try session.sshCA()
            let outcome = try await reportingFailures(manifest: session.manifest) {
                do {
                    return try await engine.plan(
                        session.manifest, lockfile: lockfile, sshCA: sshCA, destroy: destroy, newLineage: newLineage,
                        importing: importing, replacing: replacing, reserved: others)
                } catch let error as PlacementError where !others.values.joined().isEmpty {
                    throw fleetFull(error, reserved: others, refused: [])
                }
            }
            plan = outcome.plan
            view = outcome.view
            replanner = Replanner(engine: engine, sshCA: sshCA, newLineage: newLineage, replacing: replacing)
            if !destroy { try session.checkReferences(plan) }
            if !json { print(PlanView(terminal: .current).render(plan)) }
        }
        // Checked again for a saved plan (files and variables may have changed since `plan`),
        // before the first call that changes anything.
        if savedPlan != nil && !destroy { try session.checkReferences(plan) }
        let s = plan.summary
        if !plan.isEmpty {
            try refuseDataLoss(plan)
            if savedPlan == nil && !autoApprove { try confirm() }
        }
        // A lockfile last written by another release (upgraded on load) is saved in this release's
        // format before the first change, whatever the plan holds (only retags, or nothing at all):
        // the upgrade and its `.v<N>.backup` happen on this run, once, not on some later one.
        let current: Lockfile
        do {
            let upgraded = try lockfile.map(session.store.saveUpgrade)
            if plan.isEmpty {
                if json {
                    print(compactJSON(ApplySummaryJSON(complete: true, added: 0, changed: 0, destroyed: 0, succeeded: 0, failed: 0, skipped: 0)))
                }
                return
            }
            current = try upgraded ?? session.store.save(Lockfile.new(pod: plan.pod, lineage: plan.lineage ?? newLineage))
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
        let interrupt = InterruptFlag()
        let signalSource = Self.trapInterrupt(interrupt)
        defer { signalSource.cancel() }
        let printer = ProgressPrinter(
            json: json, terminal: .current, interval: reminderInterval)
        let executor = Executor(
            drivers: drivers, store: session.store, secrets: session.secrets, clock: SystemClock(),
            parallelism: parallelism, interrupt: interrupt, healthWait: healthWait, hostBoot: hostBoot,
            events: { printer.handle($0); reservations?.observe($0) })
        var attempts = 0
        if let reservations, !destroy {
            plan = try await reserve(
                plan, view: view, lockfile: lockfile, reservations: reservations, drivers: drivers,
                replanner: savedPlan == nil ? replanner : nil, refused: [], attempts: &attempts)
            reservations.startHeartbeat()
        }
        // Another folder's `import --from-lineage` sees this lease in the cloud and waits.
        let lease = ApplyLease(drivers: drivers, lockfile: current, holder: session.leaseHolder, clock: SystemClock())
        printer.start()
        let launching = plan
        var (report, after) = await lease.holding { await executor.apply(launching, lockfile: current) }
        // The cloud refused a launch for lack of room on the host (someone else filled it): the
        // same re-placement as after a reservation conflict, with that host taken as full.
        var refused: Set<String> = []
        while let reservations, let replanner, !destroy, !report.refusedForCapacity.isEmpty, !report.interrupted,
              report.failed.count == report.refusedForCapacity.count, attempts < FleetReservations.maxAttempts {
            attempts += 1
            reservations.stopHeartbeat()  // the claims are written anew below (their lease with them)
            for address in report.refusedForCapacity {
                if let host = plan.changes.first(where: { $0.address == address })?.spec.attributes["host"] { refused.insert(host) }
            }
            if !json {
                printError("note: the cloud refused \(report.refusedForCapacity.map(\.description).sorted().joined(separator: ", ")) for lack of room on host \(refused.sorted().joined(separator: ", ")); re-placing")
            }
            let done = report.succeeded
            let fresh: [String: [Reservation]]
            do { fresh = try reservations.others() } catch {
                printError("error: cannot read the fleet reservations: \(error)")
                break
            }
            let outcome: PlanOutcome
            do {
                outcome = try await replace(
                    lockfile: after, replanner: replanner, reserved: fresh, refused: refused, pinned: [:], view: nil,
                    reservations: reservations)
            } catch {
                printer.stop()
                throw error
            }
            plan = try await reserve(
                outcome.plan, view: outcome.view, lockfile: after, reservations: reservations, drivers: drivers,
                replanner: replanner, refused: refused, attempts: &attempts)
            reservations.startHeartbeat()
            let base = after, again = plan
            (report, after) = await lease.holding { await executor.apply(again, lockfile: base) }
            report.succeeded += done
        }
        printer.stop()
        if let reservations {
            let problem = destroy ? reservations.release() : await reservations.finish(fleet: fleetReader(drivers))
            if let problem { printError("warning: the fleet reservations were not updated (they lapse when their lease runs out): \(problem)") }
        }
        if let importing { try audit(importing, plan: plan, lockfile: lockfile, complete: report.complete, signer: importSigner) }
        if json {
            // The same counts as the human summary, plus what the run did with them.
            print(compactJSON(ApplySummaryJSON(
                complete: report.complete, added: s.add, changed: s.change, destroyed: s.destroy,
                succeeded: report.succeeded, failed: report.failed.count, skipped: report.skipped)))
        } else if report.complete {
            let verb = destroy ? "Destroy" : importing != nil ? "Import" : "Apply"
            var counts = "\(s.add) added, \(s.change) changed, \(s.destroy) destroyed"
            if s.retag > 0 { counts += ", \(s.retag) tagged" }
            if s.imported > 0 { counts += ", \(s.imported) imported" }
            print(Terminal.current.paint("\n\(verb) complete! Resources: \(counts).", .green))
        } else {
            printError("\n\(report.interrupted ? "Interrupted" : "Apply failed"): \(report.succeeded) actions done, \(report.failed.count) failed, \(report.skipped) not started. The lockfile records everything that was done; run `catalyze plan` to see what is left.")
            for failure in report.failed { printError("error: \(failure.address): \(failure.message)") }
        }
        if !report.complete { throw ExitCode.failure }
    }

    /// Stops before any change when the plan destroys customer data and `--force-destroy-data` was
    /// not given, naming every such action.
    private func refuseDataLoss(_ plan: Plan) throws {
        let losses = plan.dataLosses
        guard !losses.isEmpty, !forceDestroyData else { return }
        printError("error: this plan destroys data, and \(command) refuses it without --force-destroy-data:")
        for change in losses {
            printError("  \(change.action.symbol) \(change.address) (\(change.dataLoss!), \(change.action.rawValue): \(change.reason))")
        }
        printError("Nothing was changed. Back the data up, then re-run with --force-destroy-data if it may be lost.")
        throw ExitCode.failure
    }

    /// The take-over in the access audit log beside the lockfile (hash-chained, kind `import`):
    /// which lineage or resource was taken, into which lineage, every address, and whether all of it was done.
    private func audit(_ importing: ImportSelection, plan: Plan, lockfile: Lockfile?, complete: Bool, signer: AuditSigner?) throws {
        var details = [
            "pod": plan.pod, "into_lineage": (try? session.store.load())?.lineage ?? lockfile?.lineage ?? newLineage,
            "resources": plan.actionable.map { "\($0.address)=\($0.prior?.cloudID ?? "")" }.joined(separator: "; "),
            "complete": "\(complete)",
        ]
        switch importing {
        case .lineage(let lineage): details["from_lineage"] = lineage
        case .resource(let address, let cloudID):
            details["address"] = address.description
            details["cloud_id"] = cloudID
            details["from_lineage"] = plan.changes.first?.changes.first?.old ?? "(none)"
        }
        let access = AccessServiceFactory.service(AccessPaths(besideLockfile: session.options.statePath))
        do {
            try access.record(.importResources, actor: AuditActor.osAccount(), details: details, signer: signer)
        } catch {
            printError("error: cannot write the audit entry of the import: \(error)")
            throw ExitCode.failure
        }
    }

    /// Asks on a terminal; refuses off one. Destroying a hipaa pod takes its name, not just "yes".
    private func confirm() throws {
        guard Terminal.current.stdinIsTTY else {
            printError("error: \(command) needs confirmation, and standard input is not a terminal; re-run with --auto-approve")
            throw ExitCode.failure
        }
        let manifest = session.manifest
        let answer = destroy && manifest.profile == .hipaa ? manifest.pod.name : "yes"
        if answer == "yes" {
            print("\nDo you want to perform these actions? Only 'yes' will be accepted: ", terminator: "")
        } else {
            print("\nThis destroys the hipaa pod '\(answer)' and its data. Type the pod's name to confirm: ", terminator: "")
        }
        flushOutput()
        guard readLine()?.trimmingSpaces == answer else {
            printError("\(command) cancelled.")
            throw ExitCode.failure
        }
    }

    /// First Ctrl-C: start nothing new, let in-flight calls finish and be recorded. Second: exit now.
    static func trapInterrupt(_ flag: InterruptFlag) -> DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            if flag.isRaised {
                printError("Second interrupt: exiting now. The lockfile journal records what was in flight.")
                exit(130)
            }
            flag.raise()
            printError("Interrupt: no new actions will start; waiting for those in flight, then saving.")
        }
        source.resume()
        return source
    }
}
