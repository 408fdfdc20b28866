import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// Changes to a Cloud Load Balancer that wait their turn.
///
/// Cloud Load Balancers API v1.0 ("Load balancer statuses"): after every accepted change a balancer
/// is `PENDING_UPDATE` until the change is in place, and while it is not `ACTIVE` it is immutable: a
/// PUT, POST or DELETE on it or on its nodes, health monitor, SSL termination or metadata answers
/// 422 "Load Balancer '<id>' has a status of '<status>' and is considered immutable". So every
/// mutating call goes through `sendChange`: a 422 of that kind is waited out (the balancer polled
/// until `ACTIVE`, then the call sent again) with doubling pauses, and all the waiting of one call
/// is bounded by `RackspaceConfiguration.loadBalancerWait` (`CATALYZE_RAX_LB_WAIT`). `ERROR`,
/// `SUSPENDED` or `DELETED` never turn `ACTIVE` by themselves, and the bound passed, end the wait
/// with an error naming the balancer and its status.
extension RackspaceDriver {
    /// Sends one mutating call on balancer `id` (retrying transient failures as `client.call` does)
    /// and, when the balancer is immutable, waits until it is `ACTIVE` and sends it again. Throws
    /// the API's error unless the final status is in `expected`.
    func sendChange(
        balancer id: String, address: ResourceAddress, _ method: String, _ path: String, body: JSONValue? = nil,
        region: String, action: String, expected: Set<Int> = [200, 201, 202, 203, 204]
    ) async throws -> RackspaceReply {
        let deadline = configuration.clock.now().addingTimeInterval(Self.seconds(configuration.loadBalancerWait))
        var pauses = 0
        while true {
            let reply = try await client.send(.loadBalancers, method, path, body: body, region: region, action: action, retry: true)
            if reply.status == 422, Self.isImmutableReply(reply) {
                try await waitUntilMutable(id, address: address, region: region, deadline: deadline, pauses: &pauses)
                continue
            }
            guard expected.contains(reply.status) else {
                if reply.status == 413 || reply.status == 429 {
                    throw DriverError.throttled(service: "loadBalancers", action: action, attempts: configuration.retry.maxAttempts)
                }
                throw reply.error(redacting: configuration.apiKey)
            }
            return reply
        }
    }

    /// Polls balancer `id` with doubling pauses until it is `ACTIVE` (after at least one pause: the
    /// 422 just said it is not). Throws `failedState` for a status that does not end by itself and
    /// when `deadline` passes.
    private func waitUntilMutable(
        _ id: String, address: ResourceAddress, region: String, deadline: Date, pauses: inout Int
    ) async throws {
        var status = "PENDING_UPDATE"
        while true {
            let left = deadline.timeIntervalSince(configuration.clock.now())
            guard left > 0 else { throw waitExceeded(id, address: address, status: status) }
            try await Task.sleep(for: min(backoff(pauses), .milliseconds(Int64(left * 1000) + 1)))
            pauses += 1
            let reply = try await client.call(
                .loadBalancers, "GET", "loadbalancers/\(id)", region: region, action: "GetLoadBalancer", expected: [200, 404, 410])
            // Gone: the call itself says what that means for it (a delete is done, a change fails).
            guard reply.status == 200 else { return }
            status = reply.body["loadBalancer"]["status"].string ?? "UNKNOWN"
            if status == "ACTIVE" { return }
            if Self.finalStatuses.contains(status) {
                throw DriverError.failedState(
                    address: address, state: status,
                    detail: "load balancer \(id) is \(status), which no waiting ends; see it in the control panel or ask Rackspace support")
            }
        }
    }

    /// The pause before poll number `pauses + 1`: the poll interval doubled each time, at most 15 s.
    func backoff(_ pauses: Int) -> Duration {
        min(configuration.pollInterval * (1 << min(pauses, 10)), .seconds(15))
    }

    /// The error for a balancer still not `ACTIVE` when the bound has passed.
    func waitExceeded(_ id: String, address: ResourceAddress, status: String) -> DriverError {
        DriverError.failedState(
            address: address, state: status,
            detail: "load balancer \(id) still \(status) after \(String(format: "%g", Self.seconds(configuration.loadBalancerWait))) s, the bound on "
                + "waiting for it to be ACTIVE (CATALYZE_RAX_LB_WAIT); run apply again once it is ACTIVE")
    }

    /// A 422 saying the balancer is immutable (not ACTIVE), as opposed to any other refusal.
    static func isImmutableReply(_ reply: RackspaceReply) -> Bool {
        let message = (reply.body["message"].string ?? String(decoding: reply.raw, as: UTF8.self)).lowercased()
        return message.contains("immutable") || message.contains("not active")
    }

    /// Statuses a balancer does not leave by itself.
    static let finalStatuses: Set<String> = ["ERROR", "SUSPENDED", "DELETED"]

    /// `duration` in seconds.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
