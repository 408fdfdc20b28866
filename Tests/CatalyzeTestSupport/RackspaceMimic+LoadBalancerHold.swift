import Foundation

extension RackspaceMimic {
    /// Holds balancer `id` in `PENDING_UPDATE` through our mimic extension's test-only control
    /// (`PUT .../loadbalancers/{id}/catalyze-hold` on `cloudLoadBalancerControl`;
    /// Tests/Peers/mimic_plugins/catalyze_load_balancers.py): for `seconds` (nil: until
    /// `releaseLoadBalancer`), and, with `afterEachChange`, for that long after every change the
    /// balancer accepts from then on, as a real Cloud Load Balancer does. Real CLB has no such call.
    public func holdLoadBalancer(
        tenant: String, region: String = "ORD", id: String, seconds: Double?, afterEachChange: Double? = nil
    ) async throws {
        let control = try await endpoint("cloudLoadBalancerControl", tenant: tenant, region: region)
        var body: [String: Any] = ["seconds": seconds.map { $0 as Any } ?? NSNull()]
        if let afterEachChange { body["afterEachChange"] = afterEachChange }
        _ = try await json("PUT", control.appendingPathComponent("loadbalancers/\(id)/catalyze-hold"), body: body, expect: 204)
    }

    /// Ends every hold on balancer `id`: it is `ACTIVE` again.
    public func releaseLoadBalancer(tenant: String, region: String = "ORD", id: String) async throws {
        let control = try await endpoint("cloudLoadBalancerControl", tenant: tenant, region: region)
        _ = try await json("DELETE", control.appendingPathComponent("loadbalancers/\(id)/catalyze-hold"), expect: 204)
    }

    /// Sets balancer `id`'s status through mimic's own CLB control API (`PATCH
    /// .../loadbalancer/{id}/attributes`; ACTIVE, ERROR, PENDING_DELETE or PENDING_UPDATE).
    public func setLoadBalancerStatus(tenant: String, region: String = "ORD", id: String, status: String) async throws {
        let control = try await endpoint("cloudLoadBalancerControl", tenant: tenant, region: region)
        _ = try await json("PATCH", control.appendingPathComponent("loadbalancer/\(id)/attributes"), body: ["status": status], expect: 204)
    }
}
