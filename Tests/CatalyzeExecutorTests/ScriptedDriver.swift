import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// A `CloudDriver` whose `apply` answers as each test scripts it, per address and call, and which
/// records every call and how many were in flight when it started.
final class ScriptedDriver: CloudDriver {
    /// One scripted answer to an `apply`.
    enum Reply: Sendable {
        /// Succeeds, returning `cloud-<name>` as the cloud id (nothing after a delete).
        case succeed
        /// A clean refusal: `DriverError.api` with this 4xx status.
        case refuse(status: Int)
        /// An ambiguous server error: `DriverError.api` with status 503.
        case serverError
        /// The network failed: `DriverError.transport`.
        case transport
        /// Still throttled after the driver's own retries: `DriverError.throttled`.
        case throttle
    }

    /// One `apply` call as the driver saw it.
    struct Call: Sendable {
        let address: ResourceAddress
        let operation: CatalyzeModel.Operation
        let token: String
        let firstUse: Bool
        /// Calls in flight when this one started, itself included.
        let inFlight: Int
        /// Where it falls among everything `log` recorded.
        let sequence: Int
    }

    let provider: Provider = .aws
    private let script: Mutex<[ResourceAddress: [Reply]]>
    private let delay: Duration
    private let holdUntilInFlight: Int?
    private let total: Int
    private let onCall: @Sendable (ApplyRequest) -> Void
    private let holdUntil: (@Sendable (ApplyRequest) -> Bool)?
    private let state = Mutex((inFlight: 0, peak: 0, started: 0, calls: [Call]()))
    let log: EventLog

    /// A driver answering `script[address]` call by call (`.succeed` once a list runs out), each
    /// call taking `delay`. With `holdUntilInFlight`, each call first waits (up to two seconds)
    /// until that many have been in flight at once or all `total` calls have started, so a test of
    /// the limit sees it reached without depending on timing. With `holdUntil`, each call first
    /// waits (up to two seconds) until it says yes.
    init(
        script: [ResourceAddress: [Reply]] = [:], delay: Duration = .zero, holdUntilInFlight: Int? = nil, total: Int = 0,
        log: EventLog = EventLog(), holdUntil: (@Sendable (ApplyRequest) -> Bool)? = nil,
        onCall: @escaping @Sendable (ApplyRequest) -> Void = { _ in }
    ) {
        self.holdUntil = holdUntil
        self.script = Mutex(script)
        self.delay = delay
        self.holdUntilInFlight = holdUntilInFlight
        self.total = total
        self.log = log
        self.onCall = onCall
    }

    /// Every call, in the order they started.
    var calls: [Call] { state.withLock { $0.calls } }
    /// The most calls ever in flight at once.
    var peak: Int { state.withLock { $0.peak } }

    func apply(_ request: ApplyRequest) async throws -> ApplyResponse {
        let address = request.spec.address
        state.withLock { state in
            state.inFlight += 1
            state.started += 1
            state.peak = max(state.peak, state.inFlight)
            state.calls.append(Call(
                address: address, operation: request.operation, token: request.token, firstUse: request.firstUse,
                inFlight: state.inFlight, sequence: log.record(.call(address))))
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        onCall(request)
        let deadline = ContinuousClock.now + .seconds(2)
        if let wanted = holdUntilInFlight {
            while state.withLock({ $0.peak < wanted && $0.started < total }) && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        if let holdUntil {
            while !holdUntil(request) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
        }
        if delay > .zero { try await Task.sleep(for: delay) }
        let reply = script.withLock { script in script[address]?.isEmpty == false ? script[address]!.removeFirst() : .succeed }
        switch reply {
        case .succeed:
            return ApplyResponse(resource: request.operation == .delete ? nil : CloudResource(cloudID: "cloud-\(address.name)"))
        case .refuse(let status):
            throw DriverError.api(service: "ec2", action: "Create", status: status, code: "InvalidParameterValue", message: "refused")
        case .serverError:
            throw DriverError.api(service: "ec2", action: "Create", status: 503, code: "ServiceUnavailable", message: "try later")
        case .transport:
            throw DriverError.transport(url: "https://ec2.us-east-1.amazonaws.com", detail: "connection reset")
        case .throttle:
            throw DriverError.throttled(service: "ec2", action: "Create", attempts: 5)
        }
    }

    func fleet(_ request: FleetRequest) async throws -> FleetResponse { FleetResponse(hosts: []) }

    func refresh(_ request: RefreshRequest) async throws -> RefreshResponse { RefreshResponse(resources: []) }

    func tag(_ request: TagRequest) async throws -> TagResponse { TagResponse(objects: 1) }
}
