import CatalyzeCore
import CatalyzeModel

/// A load-balancer target's health as the cloud reports it.
public struct TargetHealth: Hashable, Sendable {
    /// The cloud's state word: AWS `initial`, `healthy`, `unhealthy`, `unused`, `draining`,
    /// `unavailable`; Rackspace a node's `status` (`ONLINE`, `OFFLINE`, `DRAINING`).
    public var state: String
    /// Why, when the cloud says (AWS `Reason`/`Description`, Rackspace the node's `condition`).
    public var reason: String
    /// True when the balancer sends the target traffic.
    public var healthy: Bool

    /// Creates a reading.
    public init(state: String, reason: String, healthy: Bool) {
        self.state = state
        self.reason = reason
        self.healthy = healthy
    }

    /// Reads `read` until it reports healthy or `limit` has passed, pausing between readings with
    /// backoff (0.5 s doubling to 15 s, never past the limit): a check that passes at once costs
    /// one call, a slow one a reading every 15 s, and nothing spins.
    ///
    /// - Throws: `DriverError.unhealthy` with the last reading when the limit passes first.
    public static func wait(
        address: ResourceAddress, target: String, limit: Duration, read: () async throws -> TargetHealth
    ) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        var pause: Duration = .milliseconds(500)
        while true {
            let health = try await read()
            if health.healthy { return }
            let left = clock.now.duration(to: deadline)
            guard left > .zero else {
                throw DriverError.unhealthy(address: address, target: target, state: health.state, reason: health.reason, waited: limit)
            }
            try await Task.sleep(for: min(pause, left))
            pause = min(pause * 2, .seconds(15))
        }
    }
}
