import CatalyzeAccess
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeExecutor
import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState
import Foundation

/// Opens or closes a pod's logging or monitoring endpoint to the customer: one firewall rule
/// through the cloud's API, no instance touched. The one implementation behind
/// `catalyze access expose|conceal` and the HTTP API's `PUT /v1/pods/{pod}/access/{service}`:
/// same lock, same record, same audit entry, whoever asks.
///
/// In order: takes the state lock; loads the lockfile (refusing another pod's); records the switch
/// (`ExposureRecordStore`), which wins over the manifest's `customerAccess` so the next plan is
/// clean; plans only that service's rules (`ExposurePlan`) and carries them out through the
/// executor (journal first, lockfile after each call); appends the signed audit entry, complete
/// or not, through the access service so the grants registry anchors it too.
public struct ExposureSwitch: Sendable {
    /// The endpoints a customer may pay to see.
    public enum Service: String, CaseIterable, Sendable {
        /// The logging container's JSON endpoint.
        case logging
        /// The monitoring container's endpoint.
        case monitoring
    }

    /// What to switch.
    public struct Change: Sendable, Hashable {
        /// Which endpoint.
        public var service: Service
        /// True to open it, false to close it.
        public var expose: Bool
        /// The customer networks to open it to; empty: the manifest's `customerAccess.cidrs`.
        public var cidrs: [String]

        /// Creates a change.
        public init(service: Service, expose: Bool, cidrs: [String] = []) {
            self.service = service
            self.expose = expose
            self.cidrs = cidrs
        }
    }

    /// What a switch did.
    public struct Outcome: Sendable {
        /// The pod.
        public var pod: String
        /// The endpoint.
        public var service: Service
        /// True when it is now open.
        public var exposed: Bool
        /// The networks it is open to (empty once closed).
        public var cidrs: [String]
        /// The rule changes planned.
        public var plan: Plan
        /// How carrying them out went.
        public var report: ApplyReport
        /// The audit entry recorded.
        public var audit: AuditEntry
    }

    /// Why a switch did not start. Nothing was changed.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        /// No lockfile yet: the pod was never applied.
        case notApplied(state: String)
        /// The lockfile is another pod's.
        case otherPod(state: String, recorded: String, wanted: String)
        /// Opening with no network given and none in the manifest.
        case noNetworks(service: Service, manifest: String)
        /// Opening a service the manifest does not deploy (`enabled: false`, `dev` only).
        case notDeployed(service: Service, manifest: String)
        /// The firewall the service's rules go on is not recorded yet: a pod applied by an older
        /// release (one pod-wide firewall) gets its tier firewalls on its next apply.
        case firewallNotApplied(service: Service, firewall: String)

        public var description: String {
            switch self {
            case let .notApplied(state): "\(state) does not exist: apply the pod before switching access"
            case let .otherPod(state, recorded, wanted):
                "\(state) belongs to pod '\(recorded)', not '\(wanted)'; use --state to pick the right lockfile"
            case let .noNetworks(service, manifest):
                "no customer network to open \(service.rawValue) to: pass --cidr, or set \(service.rawValue).customerAccess.cidrs in \(manifest)"
            case let .notDeployed(service, manifest):
                "\(service.rawValue) is not deployed (\(service.rawValue).enabled: false in \(manifest)): there is nothing to open; enable it and apply first"
            case let .firewallNotApplied(service, firewall):
                "\(service.rawValue) access goes on \(firewall), which the lockfile does not record yet (a pod applied by an older release): run `catalyze apply` first"
            }
        }
    }

    /// The manifest as written (the switches are applied on top).
    public var manifest: PodManifest
    /// Where the manifest came from, for messages.
    public var manifestName: String
    /// The pod's state and its lock.
    public var store: any StateStore
    /// The state's name in messages (its path or URL).
    public var stateName: String
    /// The switches.
    public var exposures: any ExposureRecordStore
    /// The audit log and grants registry.
    public var access: AccessService
    /// Makes a driver for each cloud the manifest uses, once the lockfile is known to be there
    /// (so a pod never applied is told so, whatever its credentials).
    public var drivers: @Sendable () throws -> [Provider: CloudDriver]
    /// Secrets the drivers may need.
    public var secrets: SecretResolver

    /// Creates the use case.
    public init(
        manifest: PodManifest, manifestName: String, store: any StateStore, stateName: String,
        exposures: any ExposureRecordStore, access: AccessService,
        drivers: @escaping @Sendable () throws -> [Provider: CloudDriver], secrets: SecretResolver
    ) {
        self.manifest = manifest
        self.manifestName = manifestName
        self.store = store
        self.stateName = stateName
        self.exposures = exposures
        self.access = access
        self.drivers = drivers
        self.secrets = secrets
    }

    /// Whether each endpoint is open and to which networks, the switches applied to the manifest.
    public func current() throws -> [Service: ExposureSettings.Override] {
        let applied = try exposures.load().applied(to: manifest)
        return [
            .logging: ExposureSettings.Override(
                enabled: applied.logging.customerAccess.enabled, cidrs: applied.logging.customerAccess.cidrs.map(\.description)),
            .monitoring: ExposureSettings.Override(
                enabled: applied.monitoring.customerAccess.enabled, cidrs: applied.monitoring.customerAccess.cidrs.map(\.description)),
        ]
    }

    /// Carries out `change` under the state lock (`lock`, waiting up to `lockWait` for a holder).
    /// Throws a `Refusal`, or the store's or exposure record's error, before anything changes; a
    /// failed rule change is in the outcome's report (and the audit entry says it was incomplete).
    public func run(
        _ change: Change, lock request: LockRequest, lockWait: Duration, actor: String, signer: AuditSigner?,
        events: @escaping @Sendable (ExecutionEvent) -> Void = { _ in }
    ) async throws -> Outcome {
        // A service the pod does not run has no endpoint to open: refused before anything is touched.
        let deployed = change.service == .logging ? manifest.logging.enabled : manifest.monitoring.enabled
        if change.expose && !deployed { throw Refusal.notDeployed(service: change.service, manifest: manifestName) }
        let lock = try store.lock(request, timeout: lockWait)
        defer { try? lock.release() }
        guard let lockfile = try store.load() else { throw Refusal.notApplied(state: stateName) }
        guard lockfile.pod == manifest.pod.name else {
            throw Refusal.otherPod(state: stateName, recorded: lockfile.pod, wanted: manifest.pod.name)
        }
        // Credentials and timeouts before anything is written.
        let drivers = try self.drivers()
        var settings = try exposures.load()
        let declared = change.service == .logging ? manifest.logging.customerAccess : manifest.monitoring.customerAccess
        let networks = change.cidrs.isEmpty ? declared.cidrs.map(\.description) : change.cidrs
        if change.expose && networks.isEmpty { throw Refusal.noNetworks(service: change.service, manifest: manifestName) }
        let override = ExposureSettings.Override(enabled: change.expose, cidrs: change.expose ? networks : [])
        switch change.service {
        case .logging: settings.logging = override
        case .monitoring: settings.monitoring = override
        }
        let applied = settings.applied(to: manifest)
        let plan = ExposurePlan.plan(purpose: change.service.rawValue, manifest: applied, lockfile: lockfile)
        // A rule's firewall must be recorded (its cloud id): refused before anything is written.
        for planned in plan.actionable where planned.action != .delete {
            if let firewall = planned.spec.dependencies.first(where: { lockfile.resources[$0] == nil }) {
                throw Refusal.firewallNotApplied(service: change.service, firewall: firewall.description)
            }
        }
        try exposures.save(settings)

        let executor = Executor(
            drivers: drivers, store: store, secrets: secrets, clock: SystemClock(), parallelism: 4, events: events)
        let (report, _) = await executor.apply(plan, lockfile: lockfile)
        let audit = try access.record(
            change.expose ? .expose : .conceal, actor: actor,
            details: [
                "service": change.service.rawValue, "cidrs": override.cidrs.joined(separator: ","), "pod": manifest.pod.name,
                "rules": plan.actionable.map { "\($0.action.rawValue) \($0.address)" }.joined(separator: "; "),
                "complete": "\(report.complete)",
            ], signer: signer)
        return Outcome(
            pod: manifest.pod.name, service: change.service, exposed: change.expose, cidrs: override.cidrs, plan: plan,
            report: report, audit: audit)
    }
}
