import Foundation
import Synchronization

/// One reading of a Cloud Load Balancer node, as `RackspaceMimic.passNodeHealthChecks` saw it.
public struct NodeReading: Hashable, Sendable {
    /// The node's id.
    public var id: Int
    /// Its address (the server's private IP).
    public var address: String
    /// `ONLINE` or `OFFLINE`.
    public var status: String
}

/// A flag one task raises and another reads.
public final class DoneFlag: Sendable {
    private let raised = Mutex(false)
    /// Creates a lowered flag.
    public init() {}
    /// Raises it.
    public func raise() { raised.withLock { $0 = true } }
    /// True once raised.
    public var isRaised: Bool { raised.withLock { $0 } }
}

extension RackspaceMimic {
    /// Stands in for the Cloud Load Balancers health monitor, which mimic does not run: mimic adds
    /// a node to a monitored balancer `OFFLINE` and leaves it so, where the real service moves it
    /// `ONLINE` once it passes its check. Every 100 ms (at most 1,200 times: 2 minutes) until
    /// `done` is raised (once more then; just once if it is raised already), this lists each of the tenant's balancers' nodes and sets every `OFFLINE`
    /// node `ONLINE` through mimic's CLB control API (`PUT .../loadbalancers/{id}/nodes/{node}/status`),
    /// unless `failing(address)` (a container that fails its check). Returns every
    /// reading, poll by poll, so a test can see which nodes served when.
    public func passNodeHealthChecks(
        tenant: String, region: String = "ORD", failing: @Sendable (String) -> Bool = { _ in false }, until done: DoneFlag
    ) async throws -> [[NodeReading]] {
        let api = try await endpoint("cloudLoadBalancers", tenant: tenant, region: region)
        let control = try await endpoint("cloudLoadBalancerControl", tenant: tenant, region: region)
        var polls: [[NodeReading]] = []
        for _ in 0..<1_200 {
            let last = done.isRaised
            var readings: [NodeReading] = []
            let balancers = try await json("GET", api.appendingPathComponent("loadbalancers"))["loadBalancers"] as? [[String: Any]] ?? []
            for balancer in balancers where !["DELETED", "PENDING_DELETE", "PENDING-DELETE"].contains(balancer["status"] as? String ?? "") {
                guard let lbID = balancer["id"] as? Int else { continue }
                let nodes = try await json("GET", api.appendingPathComponent("loadbalancers/\(lbID)/nodes"))["nodes"] as? [[String: Any]] ?? []
                for node in nodes {
                    guard let id = node["id"] as? Int, let address = node["address"] as? String else { continue }
                    var status = node["status"] as? String ?? ""
                    if status == "OFFLINE" && !failing(address) {
                        _ = try await json(
                            "PUT", control.appendingPathComponent("loadbalancers/\(lbID)/nodes/\(id)/status"), body: ["status": "ONLINE"],
                            expect: 200)
                        status = "ONLINE"
                    }
                    readings.append(NodeReading(id: id, address: address, status: status))
                }
            }
            polls.append(readings)
            if last { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return polls
    }
}
