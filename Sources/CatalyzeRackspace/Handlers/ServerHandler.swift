import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// Instance attributes kept in server metadata as `catalyze:<key>` so that refresh can read back
/// what was asked (Nova reports only the flavor). `ssh_ca` is not kept (too long for a metadata
/// value) and so is never reported by refresh.
let serverMetadataKeys = ["role", "vcpu", "memory_mib", "zone", "image", "network", "firewall", "principals", "port"]

/// `instance`: a Nova server on the dedicated host the scheduler chose (see PLACEMENT-RACKSPACE.md),
/// tagged in its metadata; a monitoring container's server also gets a Cloud Monitoring entity.
struct ServerHandler: RackspaceResourceHandler {
    var kind: ResourceKind { .instance }
    var lists: Set<RackspaceList> { [.servers] }

    func apply(_ request: ApplyRequest, driver: RackspaceDriver, region: String) async throws -> ApplyResponse {
        try await driver.applyServer(request, region: region)
    }

    func read(_ batch: RackspaceBatch, into found: inout [LiveResource]) {
        found += Self.podServers(batch).map(\.live)
    }

    /// The pod's servers (not deleted) in list order, each with its metadata and live resource.
    static func podServers(_ batch: RackspaceBatch) -> [(metadata: [String: String], live: LiveResource)] {
        batch.servers.compactMap { server in
            guard server["status"].string != "DELETED" else { return nil }
            let metadata = server["metadata"].stringMembers
            guard let live = RackspaceDriver.live(metadata, pod: batch.pod, kind: .instance, resource: RackspaceDriver.serverResource(server))
            else { return nil }
            return (metadata, live)
        }
    }

    /// The server's metadata: Nova `PUT servers/{id}/metadata/{key}` per key set; `GET` + `PUT
    /// servers/{id}/metadata` to remove.
    func tag(_ request: TagRequest, driver: RackspaceDriver) async throws -> TagResponse {
        let (region, id) = (request.region, request.resource.cloudID)
        for (key, value) in request.set.sorted(by: { $0.key < $1.key }) {
            _ = try await driver.client.call(
                .compute, "PUT", "servers/\(id)/metadata/\(key)", body: ["meta": [key: .string(value)]],
                region: region, action: "SetServerMetadataItem")
        }
        if !request.remove.isEmpty {
            // Nova's "replace metadata" (PUT servers/{id}/metadata) with the keys left out: one
            // call however many keys go (mimic has no per-key DELETE).
            let current = try await driver.client.call(.compute, "GET", "servers/\(id)/metadata", region: region, action: "ListServerMetadata")
            let metadata = RackspaceDriver.merged(current.body["metadata"].stringMembers, request)
            _ = try await driver.client.call(
                .compute, "PUT", "servers/\(id)/metadata", body: ["metadata": .strings(metadata)], region: region,
                action: "ReplaceServerMetadata")
        }
        return TagResponse(objects: 1)
    }
}

extension RackspaceDriver {
    func applyServer(_ request: ApplyRequest, region: String) async throws -> ApplyResponse {
        switch request.operation {
        case .create:
            let instance = try request.typed(InstanceSpec.self)
            var server = try await createServer(request, instance, region: region)
            if instance.role == "monitoring" {
                server.outputs["monitoring_entity"] = try await ensureMonitoring(request, serverID: server.cloudID, region: region)
            }
            return ApplyResponse(resource: server)
        case .update:
            let wanted = try request.typed(InstanceSpec.self).attributes
            let id = try priorID(request)
            for key in ["firewall", "port"] {
                let name = "catalyze:\(key)"
                let encoded = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? name
                _ = try await client.call(
                    .compute, "PUT", "servers/\(id)/metadata/\(encoded)",
                    body: ["meta": .strings([name: wanted[key] ?? ""])], region: region,
                    action: "SetServerMetadataItem")
            }
            let server = try await client.call(.compute, "GET", "servers/\(id)", region: region, action: "GetServer")
            return ApplyResponse(resource: Self.serverResource(server.body["server"]))
        case .delete:
            // From the record (an older release's may lack keys): the role, or the entity it made.
            let id = try priorID(request)
            if request.spec.attributes["role"] == "monitoring" || request.prior?.outputs["monitoring_entity"] != nil {
                try await removeMonitoring(serverID: id, region: region)
            }
            try await deleteServer(id, region: region)
            return ApplyResponse(resource: nil)
        }
    }

    /// Every server of the tenant in `region` (all pages of `servers/detail`).
    func listServers(region: String) async throws -> [JSONValue] {
        var servers: [JSONValue] = []
        var marker: String?
        while true {
            var query = [URLQueryItem(name: "limit", value: "1000")]
            if let marker { query.append(URLQueryItem(name: "marker", value: marker)) }
            let reply = try await client.call(.compute, "GET", "servers/detail", query: query, region: region, action: "ListServers")
            let page = reply.body["servers"].array
            servers += page
            guard page.count >= 1000, let last = page.last?["id"].string else { return servers }
            marker = last
        }
    }

    /// Creates the server on the requested host, or adopts the one an earlier attempt with the same
    /// token made. Servers that go to ERROR while building are deleted and made again.
    func createServer(_ request: ApplyRequest, _ instance: InstanceSpec, region: String) async throws -> CloudResource {
        let spec = request.spec
        let host = instance.host
        guard !host.isEmpty else {
            throw DriverError.invalidSpec(address: spec.address, reason: "instance has no 'host' (the scheduler's choice)")
        }
        var attempts = 0
        var replaced = 0
        while true {
            let servers = try await listServers(region: region)
            let ours = servers.filter { $0["metadata"][CatalyzeTag.operation].string == request.token }
            var found = ours.first { !["ERROR", "DELETED"].contains($0["status"].string ?? "") }
            for errored in ours where errored["status"].string == "ERROR" {
                try await deleteServer(errored["id"].string ?? "", region: region)
            }
            if found == nil {
                attempts += 1
                let body = try await serverBody(request, instance, servers: servers, region: region)
                let reply: RackspaceReply
                do {
                    reply = try await client.send(
                        .compute, "POST", "servers", body: body, headers: Self.hostTargeting, region: region, action: "CreateServer", retry: false)
                } catch let error as DriverError where error.isRetryable {
                    guard attempts < configuration.retry.maxAttempts else {
                        throw DriverError.ambiguous(service: "compute", action: "CreateServer", detail: error.description)
                    }
                    try await client.pause(attempt: attempts, throttled: false)
                    continue
                }
                if reply.status >= 500 || reply.status == 413 || reply.status == 429 {
                    // Nova has no idempotency token: the server may exist anyway. Look before trying again.
                    guard attempts < configuration.retry.maxAttempts else { throw reply.error(redacting: configuration.apiKey) }
                    try await client.pause(attempt: attempts, throttled: reply.status < 500)
                    continue
                }
                guard reply.ok, let id = reply.body["server"]["id"].string else { throw reply.error(redacting: configuration.apiKey) }
                found = ["id": .string(id)]
            }
            let id = found?["id"].string ?? ""
            guard let server = try await waitForServer(id, address: spec.address, region: region) else {
                replaced += 1
                try await deleteServer(id, region: region)
                guard replaced <= configuration.maxServerReplacements else {
                    throw DriverError.failedState(
                        address: spec.address, state: "ERROR",
                        detail: "server went to ERROR \(replaced) times while building; each was deleted")
                }
                continue
            }
            let actual = server["hostId"].string ?? ""
            guard actual == host else {
                try? await deleteServer(id, region: region)
                throw DriverError.placementMismatch(address: spec.address, wanted: host, actual: actual.isEmpty ? "(none reported)" : actual)
            }
            return Self.serverResource(server)
        }
    }

    /// Polls until the server is ACTIVE (returns it) or ERROR (returns nil); throws when it is still
    /// building after `maxPolls` polls.
    func waitForServer(_ id: String, address: ResourceAddress, region: String) async throws -> JSONValue? {
        var lastStatus = "UNKNOWN"
        for poll in 0..<max(1, configuration.maxPolls) {
            if poll > 0 { try await pollPause() }
            let reply = try await client.call(.compute, "GET", "servers/\(id)", region: region, action: "GetServer", expected: [200, 404])
            if reply.status == 404 { continue }  // a fresh server may not be listed yet
            let server = reply.body["server"]
            lastStatus = server["status"].string ?? "UNKNOWN"
            switch lastStatus {
            case "ACTIVE": return server
            case "ERROR", "DELETED": return nil
            default: continue
            }
        }
        throw DriverError.failedState(
            address: address, state: lastStatus, detail: "not ACTIVE after \(configuration.maxPolls) polls")
    }

    /// Deletes a server; a server already gone counts as deleted.
    func deleteServer(_ id: String, region: String) async throws {
        guard !id.isEmpty else { return }
        _ = try await client.call(.compute, "DELETE", "servers/\(id)", region: region, action: "DeleteServer", expected: [202, 204, 404])
    }

    private func serverBody(_ request: ApplyRequest, _ instance: InstanceSpec, servers: [JSONValue], region: String) async throws -> JSONValue {
        let spec = request.spec
        let host = instance.host
        let vcpu = instance.vcpu
        let memory = instance.memoryMiB
        guard let flavor = Flavor.choose(from: try await flavors(region: region), vcpu: vcpu, memoryMiB: memory) else {
            throw DriverError.invalidSpec(address: spec.address, reason: "no flavor in \(region) has \(vcpu) vCPU and \(memory) MiB")
        }
        var metadata = Self.tags(request)
        let canonical = instance.attributes
        for key in serverMetadataKeys {
            if let value = canonical[key], value.utf8.count <= 255 { metadata["catalyze:\(key)"] = value }
        }
        var server: [String: JSONValue] = [
            "name": .string(Self.cloudName(request)), "flavorRef": .string(flavor.id),
            "imageRef": .string(try await imageID(instance.image, region: region)),
            "metadata": .strings(metadata), "config_drive": true,
            "user_data": .string(Data(try ServerBoot.userData(
                sshCA: instance.sshCA, principals: instance.principalNames,
                revocationList: request.hostBoot.revocationList, address: spec.address).utf8).base64EncodedString()),
        ]
        server["networks"] = [["uuid": .string(try request.dependencyID(of: instance.network))]]
        server["security_groups"] = [["name": .string(try request.dependencyID(of: instance.firewall))]]
        // Ask Nova for the host the documented way: `host` (Compute API microversion 2.74, the
        // `compute:servers:create:requested_destination` rule), the compute host's name, which the
        // fleet entity records beside the `hostId` servers report. The scheduler's filters still
        // run; the standard SameHost/DifferentHost filters, where the cloud enables them, read the
        // servers already on that host and on the others.
        server["host"] = .string(try await computeHost(of: host, address: spec.address, region: region))
        let placed = servers.filter { !["ERROR", "DELETED"].contains($0["status"].string ?? "") }
        let same = placed.filter { $0["hostId"].string == host }.compactMap { $0["id"].string }.sorted()
        let different = placed.filter { $0["hostId"].string != host }.compactMap { $0["id"].string }.sorted()
        var hints: [String: JSONValue] = [:]
        if !same.isEmpty { hints["same_host"] = .array(same.map(JSONValue.string)) }
        if !different.isEmpty { hints["different_host"] = .array(different.map(JSONValue.string)) }
        var body: [String: JSONValue] = ["server": .object(server)]
        if !hints.isEmpty { body["os:scheduler_hints"] = .object(hints) }
        return .object(body)
    }

    /// The Compute API microversion of a server create: 2.74 is the first that takes `host`. Sent
    /// in both headers Nova reads (`OpenStack-API-Version` since 2.27, the older one before).
    static let hostTargeting = ["OpenStack-API-Version": "compute 2.74", "X-OpenStack-Nova-API-Version": "2.74"]

    /// The instance as catalyze records it: `host` is the `hostId` Nova reports; the other
    /// attributes come back from the server's `catalyze:*` metadata (never `ssh_ca`).
    static func serverResource(_ server: JSONValue) -> CloudResource {
        let metadata = server["metadata"].stringMembers
        var attributes: [String: String] = [:]
        for key in serverMetadataKeys { attributes[key] = metadata["catalyze:\(key)"] }
        attributes["host"] = server["hostId"].string ?? ""
        var outputs: [String: String] = [:]
        outputs["status"] = server["status"].string
        outputs["flavor"] = server["flavor"]["id"].string
        outputs["name"] = server["name"].string
        outputs["private_ip"] = server["addresses"]["private"].array.first?["addr"].string
        return CloudResource(cloudID: server["id"].string ?? "", attributes: attributes, outputs: outputs.compactMapValues { $0 })
    }
}

extension RackspaceDriver: ConsoleReading {
    /// Nova `POST /servers/{id}/action` `{"os-getConsoleOutput": {}}` → `{"output": "…"}`. No
    /// `length`: Nova then returns every line (the API reference: "All lines will be returned if
    /// this is not specified"), and the host keys are printed early, at the end of the first boot,
    /// so a tail of N lines of a long-running server would no longer hold them.
    public func consoleOutput(cloudID: String, region: String) async throws -> String {
        let reply = try await client.call(
            .compute, "POST", "servers/\(cloudID)/action", body: .object(["os-getConsoleOutput": .object([:])]),
            region: region, action: "GetConsoleOutput", expected: [200])
        return reply.body["output"].string ?? ""
    }
}
