import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
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
    /// How long a member of a rolling replacement (`Rollout`) may take to pass its load balancer's
    /// health check once registered, before the rollout stops with that member named.
    public var healthWait: Duration
    /// What every host made by this run boots with besides its spec (the pod's current KRL).
    public var hostBoot: HostBoot

    /// Creates an executor.
    public init(
        drivers: [Provider: CloudDriver], store: StateStore, secrets: SecretResolver, clock: WallClock,
        parallelism: Int = 10, interrupt: InterruptFlag = InterruptFlag(), healthWait: Duration = Executor.defaultHealthWait,
        hostBoot: HostBoot = HostBoot(), events: @escaping @Sendable (ExecutionEvent) -> Void = { _ in }
    ) {
        self.healthWait = healthWait
        self.drivers = drivers
        self.store = store
        self.secrets = secrets
        self.clock = clock
        self.parallelism = max(1, parallelism)
        self.interrupt = interrupt
        self.events = events
        self.hostBoot = hostBoot
    }

    /// The default `healthWait`: five minutes, room for an ALB's default check (healthy after 5
    /// passes 30 s apart) with time to spare for the container to start.
    public static let defaultHealthWait: Duration = .seconds(300)

    private enum Outcome: Sendable {
        case done
        case failed(String)
        /// Failed because the host had no room (the cloud's capacity refusal).
        case refused(String)
        case throttled
    }

    /// Where each step of an apply stands.
    private enum StepState: Equatable {
        /// Not started yet (or throttled, and waiting to be tried again).
        case waiting
        /// In flight.
        case running
        /// Finished.
        case done
        /// Failed, or skipped because something it needs failed: its dependents are skipped too.
        case stopped
    }

    /// Attempts a throttled step gets again before it fails.
    static let throttleRetries = 3

    /// Applies `plan` starting from `lockfile` (already saved by the caller, who holds the lock).
    /// Returns the report and the lockfile as last saved.
    ///
    /// Steps run as soon as everything they depend on is done, at most `AdaptiveLimit.current` at
    /// once (halved on throttling, see `AdaptiveLimit`). A throttled step is tried again later (up
    /// to `throttleRetries` times) without a failure event. A step that fails stops its dependents,
    /// transitively, at once: each is skipped with the reason "a resource it depends on failed";
    /// steps that do not depend on it still run. After an interrupt no step starts; in-flight ones
    /// finish and are saved, and every step not started is skipped as "interrupted".
    public func apply(_ plan: Plan, lockfile: Lockfile) async -> (ApplyReport, Lockfile) {
        let writer = StateWriter(lockfile: lockfile, store: store)
        let steps = ApplyGraph.steps(plan, recorded: lockfile.resources)
        var state = [StepState](repeating: .waiting, count: steps.count)
        var retries = [Int](repeating: 0, count: steps.count)
        var failures: [(ResourceAddress, String)] = []
        var refused: [ResourceAddress] = []
        var skipped = 0
        var succeeded = 0
        var limit = AdaptiveLimit(ceiling: parallelism)
        var interrupted = false

        await withTaskGroup(of: (Int, Outcome).self) { group in
            var running = 0
            /// Skips every waiting step that depends, directly or not, on a stopped one.
            func skipDependents() {
                var changed = true
                while changed {
                    changed = false
                    for step in steps where state[step.index] == .waiting && step.dependsOn.contains(where: { state[$0] == .stopped }) {
                        state[step.index] = .stopped
                        skipped += 1
                        changed = true
                        events(.skipped(address: step.change.address, operation: step.operation, reason: "a resource it depends on failed"))
                    }
                }
            }
            func launchReady() {
                skipDependents()
                for step in steps where state[step.index] == .waiting && running < limit.current {
                    guard step.dependsOn.allSatisfy({ state[$0] == .done }) else { continue }
                    if interrupt.isRaised {
                        interrupted = true
                        continue
                    }
                    state[step.index] = .running
                    running += 1
                    // A minted token is fresh only on its first call: a step retried after throttling
                    // may have acted before (the throttle can follow an ambiguous attempt).
                    let firstUse = step.operation == .create && step.change.freshToken == true && retries[step.index] == 0
                        && !lockfile.journal.contains { $0.token == step.token }
                    // Intents an earlier run left for this address under other tokens: superseded
                    // once this step finishes (see `StateWriter.supersede`).
                    let stale = lockfile.journal.filter { $0.address == step.change.address && $0.token != step.token }.map(\.token)
                    group.addTask { (step.index, await run(step, pod: plan.pod, writer: writer, firstUse: firstUse, stale: stale)) }
                }
            }
            launchReady()
            while let (index, outcome) = await group.next() {
                running -= 1
                let step = steps[index]
                switch outcome {
                case .done:
                    state[index] = .done
                    succeeded += 1
                    limit.succeeded()
                case .throttled where retries[index] < Self.throttleRetries:
                    retries[index] += 1
                    state[index] = .waiting
                    limit.throttled()
                    events(.throttled(parallelism: limit.current))
                case .throttled:
                    state[index] = .stopped
                    let message = "still throttled after backing off"
                    events(.failed(address: step.change.address, operation: step.operation, message: message))
                    failures.append((step.change.address, message))
                case .failed(let message):
                    state[index] = .stopped
                    failures.append((step.change.address, message))
                case .refused(let message):
                    state[index] = .stopped
                    failures.append((step.change.address, message))
                    refused.append(step.change.address)
                }
                launchReady()
            }
        }
        for step in steps where state[step.index] == .waiting {
            skipped += 1
            events(.skipped(address: step.change.address, operation: step.operation,
                            reason: interrupted ? "interrupted" : "not reached"))
        }
        let report = ApplyReport(
            succeeded: succeeded, failed: failures.map { (address: $0.0, message: $0.1) }, skipped: skipped,
            interrupted: interrupted || interrupt.isRaised, refusedForCapacity: refused)
        return (report, await writer.lockfile)
    }

    private func run(_ step: Step, pod: String, writer: StateWriter, firstUse: Bool, stale: [String]) async -> Outcome {
        let change = step.change
        guard let driver = drivers[change.spec.provider] else {
            events(.failed(address: change.address, operation: step.operation, message: "no driver for \(change.spec.provider)"))
            return .failed("no driver for \(change.spec.provider)")
        }
        if change.action == .retag || change.action == .importResource { return await runTag(step, pod: pod, driver: driver, writer: writer) }
        let token = step.token
        let started = ContinuousClock.now
        events(.started(address: change.address, operation: step.operation))
        do {
            try await writer.begin(
                JournalEntry(token: token, operation: step.operation, spec: change.spec, startedAt: clock.now()), deposing: step.deposes)
        } catch {
            events(.failed(address: change.address, operation: step.operation, message: "\(error)"))
            return .failed("\(error)")
        }
        let prior = await writer.record(change.address)?.cloudResource ?? change.prior
        let request = ApplyRequest(
            operation: step.operation, pod: pod,
            spec: change.spec, prior: step.operation == .create ? nil : prior, token: token,
            dependencies: await writer.resources(change.spec.dependencies), secrets: secrets, firstUse: firstUse,
            // The new member of a rollout must serve before the next old one goes.
            healthWait: change.rollout != nil && change.spec.kind == .lbTarget && step.operation != .delete ? healthWait : nil,
            hostBoot: hostBoot, lineage: await writer.lockfile.lineage)
        do {
            let response = try await driver.apply(request)
            if change.setsLineage == true, step.operation == .update, let resource = response.resource {
                _ = try await driver.tag(Self.lineageTag(change, resource: resource, pod: pod, lineage: request.lineage ?? ""))
            }
            let record = response.resource.map { ResourceRecord(spec: change.spec, resource: $0, token: change.token) }
            try await writer.finish(token: token, record: step.operation == .delete ? nil : record)
            try await writer.supersede(tokens: stale)
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
            return error.isCapacityRefusal ? .refused(error.description) : .failed(error.description)
        } catch {
            events(.failed(address: change.address, operation: step.operation, message: "\(error)"))
            return .failed("\(error)")
        }
    }

    /// A `retag` or `import`: one in-place tag call setting this lockfile's lineage; an import then
    /// records the resource. No journal entry: the call only sets a tag, and a run killed after it
    /// leaves a resource of this lineage that the next plan adopts (an import) or finds tagged (a retag).
    private func runTag(_ step: Step, pod: String, driver: CloudDriver, writer: StateWriter) async -> Outcome {
        let change = step.change
        let started = ContinuousClock.now
        events(.started(address: change.address, operation: step.operation))
        do {
            guard let prior = change.prior else {
                throw DriverError.invalidSpec(address: change.address, reason: "no cloud resource to tag")
            }
            let lineage = await writer.lockfile.lineage
            _ = try await driver.tag(Self.lineageTag(change, resource: prior, pod: pod, lineage: lineage))
            if change.action == .importResource {
                try await writer.finish(token: change.token, record: ResourceRecord(spec: change.spec, resource: prior, token: change.token))
            }
            let elapsed = started.duration(to: .now)
            events(.finished(
                address: change.address, operation: step.operation, cloudID: prior.cloudID,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
            return .done
        } catch {
            let message = (error as? DriverError)?.description ?? "\(error)"
            events(.failed(address: change.address, operation: step.operation, message: message))
            return .failed(message)
        }
    }

    /// The tag request that sets `lineage` on the resource of `change`.
    static func lineageTag(_ change: PlannedChange, resource: CloudResource, pod: String, lineage: String) -> TagRequest {
        TagRequest(
            pod: pod, region: change.spec.cloudRegion, address: change.address, kind: change.spec.kind, resource: resource,
            set: [CatalyzeTag.lineage: lineage])
    }
}
