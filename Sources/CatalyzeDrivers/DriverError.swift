import CatalyzeCore
import CatalyzeModel

/// What can go wrong talking to a cloud. Messages keep the cloud's own error code and never a secret.
public enum DriverError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The cloud answered with an error. `code` is the cloud's code (e.g. `InvalidParameterValue`).
    case api(service: String, action: String, status: Int, code: String, message: String)
    /// Throttled and still throttled after the retries allowed.
    case throttled(service: String, action: String, attempts: Int)
    /// The request may or may not have taken effect (timeout, reset, 5xx on a mutating call)
    /// and retries did not settle it.
    case ambiguous(service: String, action: String, detail: String)
    /// The network failed before an answer (connection refused, DNS, TLS).
    case transport(url: String, detail: String)
    /// No connection, or no answer, within the transport's timeout (`NetworkTimeouts`).
    case timedOut(url: String, phase: TimeoutPhase, seconds: Double)
    /// Credentials missing or refused.
    case authentication(String)
    /// A driver setting from the environment is not a value it takes (the message names it and what it takes).
    case setting(String)
    /// The resource's spec lacks something the driver needs.
    case invalidSpec(address: ResourceAddress, reason: String)
    /// A referenced resource is not recorded yet.
    case missingDependency(address: ResourceAddress, dependency: ResourceAddress)
    /// The cloud put an instance on another physical host than the one asked for.
    case placementMismatch(address: ResourceAddress, wanted: String, actual: String)
    /// A resource did not reach the wanted state in time, or reached an error state.
    case failedState(address: ResourceAddress, state: String, detail: String)
    /// A load-balancer target did not pass its health check within the wait it was given: `state`
    /// and `reason` are the cloud's (e.g. AWS `unhealthy`, `Target.FailedHealthChecks`).
    case unhealthy(address: ResourceAddress, target: String, state: String, reason: String, waited: Duration)
    /// The cloud has no such region, or the catalog has no endpoint for it.
    case unknownRegion(String)
    /// A secret reference could not be resolved (the message names the reference, not the value).
    case secretUnavailable(SecretReference)
    /// The cloud returned something the driver could not read.
    case malformedResponse(service: String, action: String, detail: String)
    /// A storage key was not deleted because backups encrypted with it remain: `recoveryPoints` in
    /// `vaults`, the last expiring at `lastExpiry` (ISO 8601; nil when one is kept for ever).
    case keyRetained(address: ResourceAddress, keyID: String, recoveryPoints: Int, vaults: [String], lastExpiry: String?)
    /// `error` happened while reading or changing the resource at `address` (a refresh call made
    /// for one resource, whose own error names no address).
    indirect case about(address: ResourceAddress, error: DriverError)

    /// One line, stating what and where, keeping the cloud's code.
    public var description: String {
        switch self {
        case let .api(service, action, status, code, message):
            "\(service) \(action) failed: \(code) (HTTP \(status)): \(message)"
        case let .throttled(service, action, attempts):
            "\(service) \(action) still throttled after \(attempts) attempts"
        case let .ambiguous(service, action, detail):
            "\(service) \(action) outcome unknown: \(detail)"
        case let .transport(url, detail):
            "cannot reach \(url): \(detail)"
        case let .timedOut(url, phase, seconds):
            switch phase {
            case .connect: "cannot reach \(url): no connection within \(Self.seconds(seconds)) (the connect timeout: --connect-timeout or CATALYZE_CONNECT_TIMEOUT)"
            case .answer: "no answer from \(url) within \(Self.seconds(seconds)) (the request timeout: --request-timeout or CATALYZE_REQUEST_TIMEOUT)"
            }
        case let .setting(detail):
            detail
        case let .authentication(detail):
            "authentication failed: \(detail)"
        case let .invalidSpec(address, reason):
            "\(address): \(reason)"
        case let .missingDependency(address, dependency):
            "\(address): depends on \(dependency), which has no recorded cloud id"
        case let .placementMismatch(address, wanted, actual):
            "\(address): placed on host \(actual), but the plan chose \(wanted)"
        case let .failedState(address, state, detail):
            "\(address): reached state \(state): \(detail)"
        case let .unhealthy(address, target, state, reason, waited):
            "\(address): \(target) not healthy after \(waited.components.seconds) s (its health check says \(state)"
                + (reason.isEmpty ? "" : ": \(reason)") + "); the rollout stops here and the group's other members keep serving"
        case let .unknownRegion(region):
            "unknown region \(region)"
        case let .secretUnavailable(reference):
            "cannot read secret \(reference)"
        case let .malformedResponse(service, action, detail):
            "\(service) \(action): unreadable response: \(detail)"
        case let .keyRetained(address, keyID, count, vaults, lastExpiry):
            "\(address): KMS key \(keyID) is kept, not scheduled for deletion: it encrypts \(count) recovery point"
                + "\(count == 1 ? "" : "s") in backup vault\(vaults.count == 1 ? "" : "s") \(vaults.joined(separator: ", "))"
                + (lastExpiry.map { " (the last expires \($0))" } ?? " (at least one is kept until deleted by hand)")
                + ", which could never be restored without it. Run destroy again once they have expired (AWS Backup "
                + "deletes each at the end of its retention), or delete them on purpose first; it then deletes the key."
        case let .about(address, error):
            "\(address): \(error)"
        }
    }

    /// True when the same call may succeed if tried again later (throttling, transient failures).
    public var isRetryable: Bool {
        switch self {
        case .throttled, .transport, .timedOut: true
        case let .api(_, _, status, _, _): status >= 500
        case let .about(_, error): error.isRetryable
        default: false
        }
    }

    /// True when the cloud refused to launch an instance because its host has no room for it: EC2's
    /// `InsufficientCapacityOnHost` ("not enough capacity on the Dedicated Host to launch or start
    /// the instance") and `InsufficientHostCapacity` (EC2 API reference, "Error codes"). An apply
    /// re-places such an instance as it does after another pipeline's reservation.
    public var isCapacityRefusal: Bool {
        switch self {
        case let .api(_, _, _, code, _): Self.capacityCodes.contains(code)
        case let .about(_, error): error.isCapacityRefusal
        default: false
        }
    }

    /// The clouds' codes for "the host has no room" (`isCapacityRefusal`).
    static let capacityCodes: Set<String> = ["InsufficientCapacityOnHost", "InsufficientHostCapacity"]

    /// `30s`, `1.5s`: whole seconds without a fraction.
    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }
}

extension DriverError {
    /// This error, said of `address` (unchanged when it already names an address).
    public func about(_ address: ResourceAddress) -> DriverError {
        switch self {
        case .invalidSpec, .missingDependency, .placementMismatch, .failedState, .keyRetained, .about: self
        default: .about(address: address, error: self)
        }
    }
}
