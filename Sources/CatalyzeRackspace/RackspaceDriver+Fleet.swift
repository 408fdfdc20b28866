import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// Entity metadata keys that describe a dedicated host (see PLACEMENT-RACKSPACE.md).
enum FleetMetadata {
    /// The Nova `hostId` that servers on this host report (per tenant).
    static let hostID = "host_id"
    /// The cloud region (`ORD`, `DFW`, …).
    static let region = "region"
    /// The zone within the region (defaults to the region).
    static let zone = "zone"
    /// The flavor class the host runs, e.g. `general1`.
    static let family = "family"
    /// The host's vCPUs, memory (MiB) and local disk (GiB).
    static let vcpu = "vcpu", memoryMiB = "memory_mib", diskGiB = "disk_gib"
    /// `available` (default) or anything else (e.g. `maintenance`): not healthy.
    static let state = "state"
    /// The compute host's name (`os-hypervisors`' `service.host`), which a server create names in
    /// `host` to land there. A host without one cannot be asked for: it is not eligible.
    static let computeHost = "host"
}

extension RackspaceDriver {
    /// The dedicated hosts of one region: Cloud Monitoring entities carrying `catalyze:fleet`
    /// metadata (one without a compute host name `host` is unhealthy: nothing can be placed there), their allocation from the tenant's servers' `hostId`s and flavors, and their
    /// latest `agent.cpu` / `agent.memory` metrics from one multiplot call.
    public func fleet(_ request: FleetRequest) async throws -> FleetResponse {
        let region = request.region
        let entities = try await listEntities(region: region).filter { entity in
            let metadata = entity["metadata"].stringMembers
            return metadata[CatalyzeTag.fleet] != nil
                && (metadata[FleetMetadata.region] ?? "").caseInsensitiveCompare(region) == .orderedSame
                && !(metadata[FleetMetadata.hostID] ?? "").isEmpty
        }
        guard !entities.isEmpty else { return FleetResponse(hosts: []) }
        async let serversTask = listServers(region: region)
        async let flavorsTask = flavors(region: region)
        async let metricsTask = hostMetrics(entityIDs: entities.compactMap { $0["id"].string }, region: region)
        let (servers, flavorList, metrics) = try await (serversTask, flavorsTask, metricsTask)
        let flavorByID = Dictionary(flavorList.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

        let hosts = entities.map { entity -> FleetHost in
            let metadata = entity["metadata"].stringMembers
            let hostID = metadata[FleetMetadata.hostID] ?? ""
            let placed = servers.filter { $0["hostId"].string == hostID && $0["status"].string != "DELETED" }
            var allocated = Capacity.zero
            for server in placed {
                guard let flavor = server["flavor"]["id"].string.flatMap({ flavorByID[$0] }) else { continue }
                allocated.vcpu += flavor.vcpus
                allocated.memoryMiB += flavor.ramMiB
                allocated.diskGiB += flavor.diskGiB
            }
            let sample = metrics[entity["id"].string ?? ""]
            return FleetHost(
                id: hostID, provider: .rax, region: region, zone: metadata[FleetMetadata.zone] ?? region,
                family: metadata[FleetMetadata.family] ?? "",
                capacity: Capacity(
                    vcpu: Int(metadata[FleetMetadata.vcpu] ?? "") ?? 0,
                    memoryMiB: Int(metadata[FleetMetadata.memoryMiB] ?? "") ?? 0,
                    diskGiB: Int(metadata[FleetMetadata.diskGiB] ?? "") ?? 0),
                allocated: allocated, instances: placed.compactMap { $0["id"].string }.sorted(),
                cpuPercent: sample?.cpu, memoryPercent: sample?.memory, sampledAt: sample?.at,
                healthy: (metadata[FleetMetadata.state] ?? "available") == "available" && !(metadata[FleetMetadata.computeHost] ?? "").isEmpty,
                podInstances: placed.compactMap { server -> String? in
                    let tags = server["metadata"].stringMembers
                    guard let pod = tags[CatalyzeTag.pod], let address = tags[CatalyzeTag.address] else { return nil }
                    return FleetHost.podInstance(pod: pod, address: address)
                }.sorted())
        }
        return FleetResponse(hosts: hosts)
    }

    /// The compute host name of the fleet host whose servers report `hostID`, from its entity's
    /// metadata. One that has none is refused before any server is made.
    func computeHost(of hostID: String, address: ResourceAddress, region: String) async throws -> String {
        let entity = try await listEntities(region: region).first { entity in
            let metadata = entity["metadata"].stringMembers
            return metadata[CatalyzeTag.fleet] != nil && metadata[FleetMetadata.hostID] == hostID
                && (metadata[FleetMetadata.region] ?? "").caseInsensitiveCompare(region) == .orderedSame
        }
        guard let entity else {
            throw DriverError.invalidSpec(address: address, reason: "host \(hostID) is not a fleet host of \(region) (no Cloud Monitoring entity with that host_id)")
        }
        guard let name = entity["metadata"].stringMembers[FleetMetadata.computeHost], !name.isEmpty else {
            throw DriverError.invalidSpec(
                address: address,
                reason: "fleet host \(hostID) has no compute host name ('host' in its Cloud Monitoring entity's metadata), so Nova cannot be asked for it")
        }
        return name
    }

    /// All Cloud Monitoring entities (every page).
    func listEntities(region: String) async throws -> [JSONValue] {
        var entities: [JSONValue] = []
        var marker: String?
        while true {
            var query = [URLQueryItem(name: "limit", value: "1000")]
            if let marker { query.append(URLQueryItem(name: "marker", value: marker)) }
            let reply = try await client.call(.monitoring, "GET", "entities", query: query, region: region, action: "ListEntities")
            entities += reply.body["values"].array.filter { $0["id"].string != marker }
            guard let next = reply.body["metadata"]["next_marker"].string, next != marker else { return entities }
            marker = next
        }
    }

    /// Latest CPU and memory utilisation per entity: `views/metric_list` names each entity's checks,
    /// one `__experiments/multiplot` call reads them all over the last ten minutes.
    func hostMetrics(entityIDs: [String], region: String) async throws -> [String: (cpu: Double?, memory: Double?, at: Date?)] {
        let wanted = Set(entityIDs)
        let list = try await client.call(.monitoring, "GET", "views/metric_list", region: region, action: "ListMetrics")
        var series: [JSONValue] = []
        for entity in list.body["values"].array {
            guard let entityID = entity["entity_id"].string, wanted.contains(entityID) else { continue }
            for check in entity["checks"].array {
                guard let checkID = check["id"].string else { continue }
                let metrics: [String] =
                    switch check["type"].string {
                    case "agent.cpu": ["usage_average"]
                    case "agent.memory": ["actual_used", "total"]
                    default: []
                    }
                for metric in metrics {
                    series.append(["entity_id": .string(entityID), "check_id": .string(checkID), "metric": .string(metric)])
                }
            }
        }
        guard !series.isEmpty else { return [:] }
        let now = Int64(configuration.clock.now().timeIntervalSince1970 * 1000)
        let query = [
            URLQueryItem(name: "from", value: String(now - 600_000)), URLQueryItem(name: "to", value: String(now)),
            URLQueryItem(name: "points", value: "10"),
        ]
        let reply = try await client.call(
            .monitoring, "POST", "__experiments/multiplot", query: query, body: ["metrics": .array(series)], region: region,
            action: "Multiplot")
        var latest: [String: [String: (value: Double, at: Double)]] = [:]
        for metric in reply.body["metrics"].array {
            guard let entityID = metric["entity_id"].string, let name = metric["metric"].string else { continue }
            let points = metric["data"].array.compactMap { point -> (value: Double, at: Double)? in
                guard let value = point["average"].double, let at = point["timestamp"].double else { return nil }
                return (value, at)
            }
            if let newest = points.max(by: { $0.at < $1.at }) { latest[entityID, default: [:]][name] = newest }
        }
        return latest.mapValues { values in
            let cpu = values["usage_average"].map { min(100, max(0, $0.value)) }
            var memory: Double?
            if let used = values["actual_used"]?.value, let total = values["total"]?.value, total > 0, used <= total {
                memory = used / total * 100
            }
            let at = values.values.map(\.at).max().map { Date(timeIntervalSince1970: $0 / 1000) }
            return (cpu, memory, at)
        }
    }
}
