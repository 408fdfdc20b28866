import CatalyzeCore
import CatalyzeDrivers
import Foundation

extension AWSDriver {
    /// Waits (`request.healthWait`) until ELBv2 reports `instance` on `port` healthy in `group`.
    ///
    /// `DescribeTargetHealth` (ELBv2 API reference) answers one `TargetHealthDescription` per
    /// target asked for, with `TargetHealth` {`State`: initial | healthy | unhealthy | unused |
    /// draining | unavailable, `Reason` (e.g. `Target.FailedHealthChecks`), `Description`}. Only
    /// `healthy` receives traffic.
    func waitUntilHealthy(_ request: ApplyRequest, group: String, instance: String, port: String) async throws {
        guard let limit = request.healthWait else { return }
        try await TargetHealth.wait(address: request.spec.address, target: "instance \(instance) (\(request.spec.attributes["instance"] ?? ""))", limit: limit) {
            let reply = try await client.query(
                .elbv2, "DescribeTargetHealth", region: request.spec.cloudRegion,
                ["TargetGroupArn": group, "Targets.member.1.Id": instance, "Targets.member.1.Port": port])
            let health = reply.list("DescribeTargetHealthResult", "TargetHealthDescriptions")
                .first { $0.string("Target", "Id") == instance }?.at("TargetHealth")
            let state = health?.string("State") ?? "not registered"
            let reason = [health?.string("Reason"), health?.string("Description")].compactMap { $0 }.filter { !$0.isEmpty }
            return TargetHealth(state: state, reason: reason.joined(separator: ": "), healthy: state == "healthy")
        }
    }
}
