import CatalyzeCore
import CatalyzeDrivers
import CatalyzePlanner
import CatalyzeState
import Foundation

/// Carries a plan out: walks its dependency graph with bounded, adaptive parallelism, writes each
/// intent to the lockfile before the call and each result right after it.
public struct Executor: Sendable {
    /// The driver for each cloud the plan touches.
    public var drivers: [Provider: CloudDriver]
    /// Where the lockfile is saved.
    public var store: StateStore
    /// Resolves secret references for the drivers at the moment of use.
    public var secrets: SecretResolver
    /// The clock for journal timestamps.
    public var clock: WallClock
    /// Most actions in flight at once.
    public var parallelism: Int
    /// Set on Ctrl-C.
    public var interrupt: InterruptFlag
    /// Receives progress.
    public var events: @Sendable (ExecutionEvent) -> Void
    /// What every host made by this run boots with besides its spec (the pod's current KRL).
    public var hostBoot: HostBoot

    /// Creates an executor.
    public init(
        drivers: [Provider: CloudDriver], store: StateStore, secrets: SecretResolver, clock: WallClock,
        parallelism: Int = 10, interrupt: InterruptFlag = InterruptFlag(),
        hostBoot: HostBoot = HostBoot(), events: @escaping @Sendable (ExecutionEvent) -> Void = { _ in }
    ) {
        self.drivers = drivers
        self.store = store
        self.secrets = secrets
        self.clock = clock
        self.parallelism = max(1, parallelism)
        self.interrupt = interrupt
        self.events = events
        self.hostBoot = hostBoot
    }

    private enum Outcome: Sendable {
        case done
        case failed(String)
        case throttled
    }

    /// Applies `plan` starting from `lockfile` (already saved by the caller, who holds the lock).
    /// Returns the report and the lockfile as last saved.
    public func apply(_ plan: Plan, lockfile: Lockfile) async -> (ApplyReport, Lockfile) {
        let writer = StateWriter(lockfile: lockfile, store: store)
        let steps = ApplyGraph.steps(plan, recorded: lockfile.resources)
        var state = [Int](repeating: 0, count: steps.count)  // 0 waiting, 1 running, 2 done, 3 failed/skipped
        var retries = [Int](repeating: 0, count: steps.count)
        var failures: [(ResourceAddress, String)] = []
        var skipped = 0
        var succeeded = 0
        var limit = parallelism
        var successesSinceThrottle = 0
        var interrupted = false

        await withTaskGroup(of: (Int, Outcome).self) { group in
            var running = 0
            func launchReady() {
                for step in steps where state[step.index] == 0 && running < limit {
                    if step.dependsOn.contains(where: { state[$0] == 3 }) {
                        state[step.index] = 3
                        skipped += 1
                        events(.skipped(address: step.change.address, operation: step.operation, reason: "a resource it depends on failed"))
                        continue
                    }
                    guard step.dependsOn.allSatisfy({ state[$0] == 2 }) else { continue }
                    if interrupt.isRaised {
                        interrupted = true
                        continue
                    }
                    state[step.index] = 1
                    running += 1
                    // A minted token is fresh only on its first call: a step retried after throttling
                    // may have acted before (the throttle can follow an ambiguous attempt).
                    let firstUse = step.operation == .create && step.change.freshToken == true && retries[step.index] == 0
                        && !lockfile.journal.contains { $0.token == step.token }
                    group.addTask { (step.index, await run(step, pod: plan.pod, writer: writer, firstUse: firstUse)) }
                }
            }
            launchReady()
            while let (index, outcome) = await group.next() {
                running -= 1
                let step = steps[index]
                switch outcome {
                case .done:
                    state[index] = 2
                    succeeded += 1
                    successesSinceThrottle += 1
                    if limit < parallelism && successesSinceThrottle >= 5 {
                        limit += 1
                        successesSinceThrottle = 0
                    }
                case .throttled where retries[index] < 3:
                    retries[index] += 1
                    state[index] = 0
                    limit = max(1, limit / 2)
                    successesSinceThrottle = 0
                    events(.throttled(parallelism: limit))
                case .throttled:
                    state[index] = 3
                    failures.append((step.change.address, "still throttled after backing off"))
                case .failed(let message):
                    state[index] = 3
                    failures.append((step.change.address, message))
                }
                launchReady()
            }
        }
        for step in steps where state[step.index] == 0 {
            skipped += 1
            events(.skipped(address: step.change.address, operation: step.operation,
                            reason: interrupted ? "interrupted" : "not reached"))
        }
        let report = ApplyReport(
            succeeded: succeeded, failed: failures.map { (address: $0.0, message: $0.1) }, skipped: skipped,
            interrupted: interrupted || interrupt.isRaised)
        return (report, await writer.lockfile)
    }

    private func run(_ step: Step, pod: String, writer: StateWriter, firstUse: Bool) async -> Outcome {
        let change = step.change
        guard let driver = drivers[change.spec.provider] else {
            events(.failed(address: change.address, operation: step.operation, message: "no driver for \(change.spec.provider)"))
            return .failed("no driver for \(change.spec.provider)")
        }
        let token = step.token
        let started = ContinuousClock.now
        events(.started(address: change.address, operation: step.operation))
        do {
            try await writer.begin(JournalEntry(token: token, operation: step.operation, spec: change.spec, startedAt: clock.now()))
        } catch {
            events(.failed(address: change.address, operation: step.operation, message: "\(error)"))
            return .failed("\(error)")
        }
        let prior = await writer.record(change.address)?.cloudResource ?? change.prior
        let request = ApplyRequest(
            operation: step.operation, pod: pod,
            spec: change.spec, prior: step.operation == .create ? nil : prior, token: token,
            dependencies: await writer.resources(change.spec.dependencies), secrets: secrets, firstUse: firstUse,
            hostBoot: hostBoot)
        do {
            let response = try await driver.apply(request)
            let record = response.resource.map { ResourceRecord(spec: change.spec, resource: $0, token: change.token) }
            try await writer.finish(token: token, record: step.operation == .delete ? nil : record)
            let elapsed = started.duration(to: .now)
            events(.finished(
                address: change.address, operation: step.operation, cloudID: response.resource?.cloudID,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
            return .done
        } catch let error as DriverError {
            // A clean refusal did nothing: forget the intent. Anything else may have acted: keep it,
            // so the next plan resumes with the same token and the driver finds what was made.
            if case .api(_, _, let status, _, _) = error, status < 500 { try? await writer.abandon(token: token) }
            if case .invalidSpec = error { try? await writer.abandon(token: token) }
            if case .missingDependency = error { try? await writer.abandon(token: token) }
            if case .secretUnavailable = error { try? await writer.abandon(token: token) }
            if case .throttled = error {
                try? await writer.abandon(token: token)
                return .throttled
            }
            events(.failed(address: change.address, operation: step.operation, message: error.description))
            return .failed(error.description)
        } catch {
            events(.failed(address: change.address, operation: step.operation, message: "\(error)"))
            return .failed("\(error)")
        }
    }
}
