import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// Cloud Monitoring for the pod's monitoring container: its server gets a monitoring entity
/// (tagged like every resource, `agent_id` = the server id) with `agent.cpu`, `agent.memory` and
/// `agent.filesystem` checks, made with the server and removed with it.
extension RackspaceDriver {
    static let monitoredChecks = ["agent.cpu", "agent.memory", "agent.filesystem"]

    /// Makes (or finds, by `catalyze:op`) the entity and its checks for a monitoring server.
    func ensureMonitoring(_ request: ApplyRequest, serverID: String, region: String) async throws -> String {
        let entities = try await listEntities(region: region)
        var entityID = entities.first { $0["metadata"][CatalyzeTag.operation].string == request.token }?["id"].string
        if entityID == nil {
            var metadata = Self.tags(request)
            metadata["catalyze:server"] = serverID
            let body: JSONValue = ["label": .string(Self.cloudName(request)), "agent_id": .string(serverID), "metadata": .strings(metadata)]
            let reply = try await client.call(.monitoring, "POST", "entities", body: body, region: region, action: "CreateEntity", expected: [201])
            entityID = reply.headers["x-object-id"] ?? reply.headers["location"].flatMap { $0.split(separator: "/").last.map(String.init) }
        }
        guard let id = entityID else {
            throw DriverError.malformedResponse(service: "monitoring", action: "CreateEntity", detail: "no entity id")
        }
        let checks = try await client.call(.monitoring, "GET", "entities/\(id)/checks", region: region, action: "ListChecks").body["values"].array
        let present = Set(checks.compactMap { $0["type"].string })
        for type in Self.monitoredChecks where !present.contains(type) {
            let body: JSONValue = [
                "label": .string(type), "type": .string(type), "details": [:], "monitoring_zones_poll": [], "timeout": 30, "period": 60,
                "target_alias": .null,
            ]
            _ = try await client.call(.monitoring, "POST", "entities/\(id)/checks", body: body, region: region, action: "CreateCheck", expected: [201])
        }
        return id
    }

    /// Removes the monitoring entities (and so their checks) of a deleted server.
    func removeMonitoring(serverID: String, region: String) async throws {
        for entity in try await listEntities(region: region) where entity["metadata"]["catalyze:server"].string == serverID {
            guard let id = entity["id"].string else { continue }
            _ = try await client.call(.monitoring, "DELETE", "entities/\(id)", region: region, action: "DeleteEntity", expected: [204, 404])
        }
    }
}
