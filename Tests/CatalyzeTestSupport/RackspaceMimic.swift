import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// The running mimic (Rackspace's API mock) that the Rackspace tests talk to, and the control
/// calls tests use to seed it: fleet entities, Nova creation behaviors, identity failures, the
/// fake clock. Every helper works inside one tenant, so tests isolate themselves by tenant id.
public struct RackspaceMimic: Sendable {
    /// mimic's base URL (`CATALYZE_MIMIC_URL`).
    public let baseURL: URL
    /// The Identity v2 URL to give the driver.
    public var authURL: URL { baseURL.appendingPathComponent("identity/v2.0") }
    private let transport = CurlTransport(timeouts: NetworkTimeouts(connect: 10, request: 30))

    /// Reads `CATALYZE_MIMIC_URL`; throws a clear error when it is not set.
    public init() throws {
        guard let text = ProcessInfo.processInfo.environment["CATALYZE_MIMIC_URL"], let url = URL(string: text) else {
            throw RackspaceMimicError("CATALYZE_MIMIC_URL is not set: run `scripts/emulators.sh start` and source .emulators.env")
        }
        baseURL = url
    }

    /// The user name the helpers use for `tenant`.
    public static func user(_ tenant: String) -> String { "user-\(tenant)" }

    /// A tenant id no other test uses.
    public static func uniqueTenant(_ label: String) -> String { "\(label)-\(UUID().uuidString.prefix(8).lowercased())" }

    /// Authenticates `username` in `tenant` and returns the catalog URL of service `name` in `region`.
    /// mimic ties a user name to the first tenant it authenticates in, so the default user is per tenant.
    public func endpoint(_ name: String, tenant: String, region: String = "ORD", username: String? = nil) async throws -> URL {
        let username = username ?? Self.user(tenant)
        let body: [String: Any] = [
            "auth": ["RAX-KSKEY:apiKeyCredentials": ["username": username, "apiKey": "test-key"], "tenantId": tenant]
        ]
        let reply = try await json("POST", authURL.appendingPathComponent("tokens"), body: body)
        let catalog = ((reply["access"] as? [String: Any])?["serviceCatalog"] as? [[String: Any]]) ?? []
        for service in catalog where service["name"] as? String == name {
            for endpoint in (service["endpoints"] as? [[String: Any]]) ?? [] where endpoint["region"] as? String == region {
                if let text = endpoint["publicURL"] as? String, let url = URL(string: text) { return url }
            }
        }
        throw RackspaceMimicError("mimic's catalog has no \(name) in \(region)")
    }

    /// Registers a Nova server-creation behavior (`fail`, `false-negative`, `build`, `error`,
    /// `sequence`, …) for servers whose name matches `nameRegex`; returns its id.
    @discardableResult
    public func addCreationBehavior(
        tenant: String, region: String = "ORD", nameRegex: String, name: String, parameters: [String: Any]
    ) async throws -> String {
        let control = try await endpoint("cloudServersBehavior", tenant: tenant, region: region)
        let body: [String: Any] = ["criteria": [["server_name": nameRegex]], "name": name, "parameters": parameters]
        let reply = try await json("POST", control.appendingPathComponent("behaviors/creation"), body: body, expect: 201)
        return reply["id"] as? String ?? ""
    }

    /// Removes the creation behavior `id` (as `addCreationBehavior` returned it): servers made
    /// from now on build as mimic's default does.
    public func removeCreationBehavior(tenant: String, region: String = "ORD", id: String) async throws {
        let control = try await endpoint("cloudServersBehavior", tenant: tenant, region: region)
        _ = try await json("DELETE", control.appendingPathComponent("behaviors/creation/\(id)"), expect: 204)
    }

    /// Sets a server's status through mimic's Nova control API (`attributes/`), for this tenant
    /// only (unlike `tick`, which moves every tenant's clock).
    public func setServerStatus(tenant: String, region: String = "ORD", serverID: String, status: String) async throws {
        let control = try await endpoint("cloudServersBehavior", tenant: tenant, region: region)
        _ = try await json("POST", control.appendingPathComponent("attributes/"), body: ["status": [serverID: status]], expect: 201)
    }

    /// Sets what server `serverID`'s console shows (nil: nothing, as while it boots) through the
    /// extension's control entry `catalyzeConsoleControl` (Tests/Peers/mimic_plugins/catalyze_console_output.py;
    /// real Nova has no such call: the server prints it while it boots).
    public func setConsoleOutput(tenant: String, region: String = "ORD", serverID: String, _ output: String?) async throws {
        let control = try await endpoint("catalyzeConsoleControl", tenant: tenant, region: region)
        _ = try await json("PUT", control.appendingPathComponent("servers/\(serverID)/console-output"),
                           body: ["output": output as Any? ?? NSNull()], expect: 204)
    }

    /// The `user_data` (decoded) server `serverID` was created with, as the booted server reads it
    /// from its config drive (control entry `catalyzeConsoleControl`; nil when it was given none).
    public func userData(tenant: String, region: String = "ORD", serverID: String) async throws -> String? {
        let control = try await endpoint("catalyzeConsoleControl", tenant: tenant, region: region)
        let reply = try await json("GET", control.appendingPathComponent("servers/\(serverID)/user-data"), expect: 200)
        return (reply["user_data"] as? String).flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Makes Identity refuse `username` with `code` (default 401).
    public func failAuthentication(username: String, code: Int = 401) async throws {
        let url = baseURL.appendingPathComponent("mimic/v1.1/IdentityControlAPI/behaviors/auth")
        let body: [String: Any] = ["criteria": [["username": "^\(username)$"]], "name": "fail", "parameters": ["code": code]]
        _ = try await json("POST", url, body: body, expect: 201)
    }

    /// Moves mimic's fake clock forward by `seconds`.
    public func tick(_ seconds: Double) async throws {
        _ = try await json("POST", baseURL.appendingPathComponent("mimic/v1.1/tick"), body: ["amount": seconds])
    }

    /// Adds one dedicated host to the tenant's fleet: a Cloud Monitoring entity marked
    /// `catalyze:fleet`, with `agent.cpu` and `agent.memory` checks whose metrics are seeded (see
    /// ``seedMetrics(tenant:entityID:checkID:metrics:)``) to `cpuPercent` and `memoryPercent` of the
    /// host's memory; nil leaves that check to mimic's synthetic values. Returns the entity id.
    @discardableResult
    public func addFleetHost(
        tenant: String, hostID: String, region: String = "ORD", vcpu: Int = 32, memoryMiB: Int = 131_072,
        family: String = "general1", state: String = "available", cpuPercent: Double? = 20, memoryPercent: Double? = 35,
        computeHost: String? = nil
    ) async throws -> String {
        try await addFleetHostWithChecks(
            tenant: tenant, hostID: hostID, region: region, vcpu: vcpu, memoryMiB: memoryMiB, family: family, state: state,
            cpuPercent: cpuPercent, memoryPercent: memoryPercent, computeHost: computeHost
        ).entityID
    }

    /// The compute host name ``addFleetHost(tenant:hostID:region:vcpu:memoryMiB:family:state:cpuPercent:memoryPercent:computeHost:)``
    /// gives a host by default.
    public static func computeHost(of hostID: String) -> String { "compute-\(hostID.prefix(12))" }

    /// ``addFleetHost(tenant:hostID:region:vcpu:memoryMiB:family:state:cpuPercent:memoryPercent:)``,
    /// returning the entity id and the ids of its checks by type (`agent.cpu`, `agent.memory`).
    ///
    /// The entity names the compute host (`host`, what a server create asks for at microversion
    /// 2.74): `compute-<hostID prefix>` unless `computeHost` is given; `""` leaves it out.
    public func addFleetHostWithChecks(
        tenant: String, hostID: String, region: String = "ORD", vcpu: Int = 32, memoryMiB: Int = 131_072,
        family: String = "general1", state: String = "available", cpuPercent: Double? = 20, memoryPercent: Double? = 35,
        computeHost: String? = nil
    ) async throws -> (entityID: String, checks: [String: String]) {
        let monitoring = try await endpoint("cloudMonitoring", tenant: tenant, region: "ORD")
        var metadata: [String: String] = [
            CatalyzeTag.fleet: "true", "host_id": hostID, "region": region, "zone": region, "family": family,
            "vcpu": String(vcpu), "memory_mib": String(memoryMiB), "state": state,
        ]
        let name = computeHost ?? Self.computeHost(of: hostID)
        if !name.isEmpty { metadata["host"] = name }
        let entity = try await send("POST", monitoring.appendingPathComponent("entities"), body: ["label": "dh-\(hostID.prefix(8))", "metadata": metadata])
        guard let id = entity.headers["x-object-id"] else { throw RackspaceMimicError("mimic did not return an entity id") }
        var checks: [String: String] = [:]
        for type in ["agent.cpu", "agent.memory"] {
            let check = try await send(
                "POST", monitoring.appendingPathComponent("entities/\(id)/checks"),
                body: ["label": type, "type": type, "details": [:] as [String: String], "monitoring_zones_poll": [] as [String], "timeout": 30, "period": 60, "target_alias": NSNull()])
            guard let checkID = check.headers["x-object-id"] else { throw RackspaceMimicError("mimic did not return a check id") }
            checks[type] = checkID
        }
        if let cpuPercent, let checkID = checks["agent.cpu"] {
            try await seedMetrics(tenant: tenant, entityID: id, checkID: checkID, metrics: ["usage_average": cpuPercent])
        }
        if let memoryPercent, let checkID = checks["agent.memory"] {
            let total = Double(memoryMiB) * 1_048_576
            let used = (total * memoryPercent / 100).rounded()
            try await seedMetrics(
                tenant: tenant, entityID: id, checkID: checkID, metrics: ["total": total, "actual_used": used, "actual_free": total - used])
        }
        return (id, checks)
    }

    /// Makes every later data point of the named metrics of one check report these values, as a
    /// monitoring agent would push them. An extension of mimic (catalyze_monitoring_metrics.py) on
    /// its control endpoint `cloudMonitoringControl`: real Cloud Monitoring has no such call.
    /// Values are stored as given, inconsistent ones too, so tests can show the driver refusing them.
    public func seedMetrics(tenant: String, entityID: String, checkID: String, metrics: [String: Double]) async throws {
        let control = try await endpoint("cloudMonitoringControl", tenant: tenant, region: "ORD")
        let reply = try await send(
            "PUT", control.appendingPathComponent("entities/\(entityID)/checks/\(checkID)/metrics"), body: ["metrics": metrics])
        guard reply.status == 204 else {
            throw RackspaceMimicError("seeding metrics answered \(reply.status): \(reply.text.prefix(200))")
        }
    }

    /// A dedicated host of `tenant` in `region` that a server can be asked for (Compute API 2.74
    /// `host`): the fleet host this call made before, or a new one (32 vCPU, 128 GiB). Returns the
    /// `hostId` servers on it report.
    public func placeableHostID(tenant: String, region: String = "ORD") async throws -> String {
        let monitoring = try await endpoint("cloudMonitoring", tenant: tenant, region: "ORD")
        let listed = try await json("GET", monitoring.appendingPathComponent("entities"), expect: 200)
        for entity in listed["values"] as? [[String: Any]] ?? [] {
            let metadata = entity["metadata"] as? [String: String] ?? [:]
            if metadata["catalyze:placeable"] == region, let id = metadata["host_id"] { return id }
        }
        // A stable 56-hex id per tenant and region (the length of Nova's sha224 hostId).
        var hex = ""
        var state: UInt64 = 14_695_981_039_346_656_037
        while hex.count < 56 {
            for byte in "placeable-\(tenant)-\(region)".utf8 { state = (state ^ UInt64(byte)) &* 1_099_511_628_211 }
            hex += String(state, radix: 16)
        }
        let hostID = String(hex.prefix(56))
        let entityID = try await addFleetHost(tenant: tenant, hostID: hostID, region: region)
        _ = try await send(
            "PUT", monitoring.appendingPathComponent("entities/\(entityID)"),
            body: ["metadata": [
                CatalyzeTag.fleet: "true", "host_id": hostID, "host": Self.computeHost(of: hostID), "region": region, "zone": region,
                "family": "general1", "vcpu": "32", "memory_mib": "131072", "state": "available", "catalyze:placeable": region,
            ]])
        return hostID
    }

    /// Lets `tenant`'s server creates be placed by the `catalyze:host` scheduler hint that release
    /// 0.1.0 sent (no Nova honours it; catalyze_nova_placement.py): only for the upgrade test, while
    /// that release applies.
    public func setLegacyHostHint(tenant: String, enabled: Bool, region: String = "ORD") async throws {
        let control = try await endpoint("catalyzePlacementControl", tenant: tenant, region: region)
        let reply = try await send("PUT", control.appendingPathComponent("legacy-host-hint"), body: ["enabled": enabled])
        guard reply.status == 204 else { throw RackspaceMimicError("legacy-host-hint answered \(reply.status): \(reply.text.prefix(200))") }
    }

    /// Every server of the tenant (not deleted), as mimic reports it.
    public func servers(tenant: String, region: String = "ORD") async throws -> [[String: Any]] {
        let nova = try await endpoint("cloudServersOpenStack", tenant: tenant, region: region)
        return (try await json("GET", nova.appendingPathComponent("servers/detail"), expect: 200)["servers"] as? [[String: Any]]) ?? []
    }

    /// Calls `url` with a JSON body and returns the parsed JSON object.
    public func json(_ method: String, _ url: URL, body: Any? = nil, expect: Int? = nil) async throws -> [String: Any] {
        let response = try await send(method, url, body: body)
        if let expect, response.status != expect {
            throw RackspaceMimicError("\(method) \(url.path) answered \(response.status), wanted \(expect): \(response.text.prefix(200))")
        }
        return (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
    }

    private func send(_ method: String, _ url: URL, body: Any?) async throws -> HTTPResponse {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let response = try await transport.send(HTTPRequest(
            method: method, url: url, headers: ["content-type": "application/json", "x-auth-token": "control"], body: data))
        guard response.status < 500 else {
            throw RackspaceMimicError("\(method) \(url.path) failed with \(response.status): \(response.text.prefix(200))")
        }
        return response
    }
}

/// A mimic set-up problem (not a driver failure).
public struct RackspaceMimicError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String
    /// Creates the error.
    public init(_ description: String) { self.description = description }
}

/// A transport that sends everything to the real peer but rewrites chosen responses: a fault
/// injector in front of mimic (e.g. a 401 for a token mimic would accept, to test re-authentication).
public final class RackspaceFaultTransport: HTTPTransport {
    private let inner: HTTPTransport
    private let rule: @Sendable (HTTPRequest, Int) -> HTTPResponse?
    private let seen = Mutex<Int>(0)

    /// `rule(request, n)` gets each request with its sequence number (from 1) and returns a
    /// response to answer instead of sending it, or nil to send it to the peer.
    public init(_ inner: HTTPTransport, rule: @escaping @Sendable (HTTPRequest, Int) -> HTTPResponse?) {
        self.inner = inner
        self.rule = rule
    }

    /// Answers by the rule or sends to the peer.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let number = seen.withLock { count -> Int in
            count += 1
            return count
        }
        if let replaced = rule(request, number) { return replaced }
        return try await inner.send(request)
    }
}
