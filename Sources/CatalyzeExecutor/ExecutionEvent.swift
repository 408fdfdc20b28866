import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// What the executor reports while it works (the CLI turns these into progress lines or JSON).
public enum ExecutionEvent: Sendable {
    /// An action started.
    case started(address: ResourceAddress, operation: Operation)
    /// An action finished; `seconds` is its wall time.
    case finished(address: ResourceAddress, operation: Operation, cloudID: String?, seconds: Double)
    /// An action failed; the message says why (never a secret).
    case failed(address: ResourceAddress, operation: Operation, message: String)
    /// An action was not started because something it needs failed, or because of an interrupt.
    case skipped(address: ResourceAddress, operation: Operation, reason: String)
    /// The cloud throttled us: parallelism is now `parallelism`.
    case throttled(parallelism: Int)
}

/// The outcome of an apply.
public struct ApplyReport: Sendable {
    /// Actions that finished.
    public var succeeded: Int
    /// Actions that failed, with the reason.
    public var failed: [(address: ResourceAddress, message: String)]
    /// Actions not started.
    public var skipped: Int
    /// True when an interrupt stopped new actions from starting.
    public var interrupted: Bool
    /// Instance creates the cloud refused because their host had no room (`DriverError.isCapacityRefusal`):
    /// the apply re-places them, as after another pipeline's reservation.
    public var refusedForCapacity: [ResourceAddress] = []
    /// True when every action finished.
    public var complete: Bool { failed.isEmpty && skipped == 0 && !interrupted }
}

/// A flag the CLI sets on Ctrl-C: no new action starts, in-flight ones finish and are recorded.
public final class InterruptFlag: @unchecked Sendable {
    private let state = Mutex(false)
    /// Creates a cleared flag.
    public init() {}
    /// Raises the flag.
    public func raise() { state.withLock { $0 = true } }
    /// True once raised.
    public var isRaised: Bool { state.withLock { $0 } }
}
