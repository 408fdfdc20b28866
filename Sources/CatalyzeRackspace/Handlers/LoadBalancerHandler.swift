import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// `load_balancer`: a Cloud Load Balancer (health monitor, TLS termination) tagged in its metadata.
/// Every change waits while it is `PENDING_UPDATE` (`sendChange`, bounded by `CATALYZE_RAX_LB_WAIT`).
struct LoadBalancerHandler: RackspaceResourceHandler {
    var kind: ResourceKind { .loadBalancer }
    var lists: Set<RackspaceList> { [.loadBalancers] }

    func apply(_ request: ApplyRequest, driver: RackspaceDriver, region: String) async throws -> ApplyResponse {
        try await driver.applyLoadBalancer(request, region: region)
    }

    /// Each pod balancer; one whose https listener has no enabled TLS termination reports
    /// `certificate` as `tlsNotInstalled`.
    func read(_ batch: RackspaceBatch, into found: inout [LiveResource]) {
        for (balancer, terminatesTLS) in batch.loadBalancers {
            guard var live = Self.live(balancer, pod: batch.pod) else { continue }
            if !terminatesTLS { live.resource.attributes["certificate"] = RackspaceDriver.tlsNotInstalled }
            found.append(live)
        }
    }

    /// The pod's balancers in `batch` as found (before the TLS check), each with the nodes its details list.
    static func podBalancers(_ batch: RackspaceBatch) -> [(live: LiveResource, nodes: [JSONValue])] {
        batch.loadBalancers.compactMap { entry in live(entry.balancer, pod: batch.pod).map { ($0, entry.balancer["nodes"].array) } }
    }

    /// The balancer (its details) as the pod's `load_balancer`; nil when it is not tagged as one.
    static func live(_ balancer: JSONValue, pod: String) -> LiveResource? {
        RackspaceDriver.live(
            RackspaceDriver.clbTags(balancer), pod: pod, kind: .loadBalancer, resource: RackspaceDriver.loadBalancerResource(balancer))
    }

    /// The CLB's metadata items: `GET loadbalancers/{id}/metadata`, then `PUT …/metadata/{metaId}` or
    /// `POST …/metadata` per key set, `DELETE …/metadata/{metaId}` per key removed.
    func tag(_ request: TagRequest, driver: RackspaceDriver) async throws -> TagResponse {
        let (region, id) = (request.region, request.resource.cloudID)
        let listed = try await driver.client.call(.loadBalancers, "GET", "loadbalancers/\(id)/metadata", region: region, action: "ListMetadata")
        var items: [String: String] = [:]  // key → metadata item id
        for item in listed.body["metadata"].array {
            if let key = item["key"].string, let itemID = item["id"].int.map(String.init) ?? item["id"].string { items[key] = itemID }
        }
        var added: [JSONValue] = []
        for (key, value) in request.set.sorted(by: { $0.key < $1.key }) {
            if let itemID = items[key] {
                _ = try await driver.sendChange(
                    balancer: id, address: request.address, "PUT", "loadbalancers/\(id)/metadata/\(itemID)",
                    body: ["meta": ["value": .string(value)]], region: region, action: "UpdateMetadataItem")
            } else {
                added.append(["key": .string(key), "value": .string(value)])
            }
        }
        if !added.isEmpty {
            _ = try await driver.sendChange(
                balancer: id, address: request.address, "POST", "loadbalancers/\(id)/metadata",
                body: ["metadata": .array(added)], region: region, action: "AddMetadata")
        }
        for key in request.remove.sorted() {
            guard let itemID = items[key] else { continue }
            _ = try await driver.sendChange(
                balancer: id, address: request.address, "DELETE", "loadbalancers/\(id)/metadata/\(itemID)", region: region,
                action: "DeleteMetadataItem", expected: [200, 202, 204, 404])
        }
        return TagResponse(objects: 1)
    }
}

extension RackspaceDriver {
    /// The pod's balancers (`RackspaceList.loadBalancers`): the list, then the details of each one
    /// named for the pod and tagged as its load balancer, each with whether its TLS termination is
    /// installed.
    func podLoadBalancers(pod: String, region: String) async throws -> [(balancer: JSONValue, terminatesTLS: Bool)] {
        let list = try await client.call(.loadBalancers, "GET", "loadbalancers", region: region, action: "ListLoadBalancers")
        let prefix = String("\(pod)-load-balancer-".map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "-" })
        var found: [(balancer: JSONValue, terminatesTLS: Bool)] = []
        for candidate in list.body["loadBalancers"].array {
            guard let name = candidate["name"].string, name.hasPrefix(prefix), let id = candidate["id"].string,
                  !["DELETED", "PENDING_DELETE", "PENDING-DELETE"].contains(candidate["status"].string ?? "")
            else { continue }
            let detail = try await client.call(
                .loadBalancers, "GET", "loadbalancers/\(id)", region: region, action: "GetLoadBalancer", expected: [200, 404, 410])
            guard detail.status == 200 else { continue }
            let balancer = detail.body["loadBalancer"]
            if let live = LoadBalancerHandler.live(balancer, pod: pod) {
                found.append((balancer, try await terminatesTLS(id, listeners: live.resource.attributes["listeners"] ?? "", region: region)))
            }
        }
        return found
    }

    /// What refresh reports as a balancer's `certificate` when its https listener has no enabled TLS
    /// termination (removed or disabled outside catalyze): a difference the next plan shows and an
    /// update repairs by installing the certificate again.
    static let tlsNotInstalled = "(no TLS termination)"

    /// False when the balancer has an https listener but no enabled SSL termination (one call,
    /// made only for balancers with an https listener).
    private func terminatesTLS(_ lbID: String, listeners: String, region: String) async throws -> Bool {
        guard (try? ListenerSpec.list(canonical: listeners))?.contains(where: { $0.proto == "https" }) == true else { return true }
        let reply = try await client.call(
            .loadBalancers, "GET", "loadbalancers/\(lbID)/ssltermination", region: region, action: "GetSSLTermination",
            expected: [200, 404])
        return reply.status == 200 && reply.body["sslTermination"]["enabled"].bool != false
    }

    func applyLoadBalancer(_ request: ApplyRequest, region: String) async throws -> ApplyResponse {
        switch request.operation {
        case .create:
            return ApplyResponse(resource: try await createLoadBalancer(request, region: region))
        case .update:
            return ApplyResponse(resource: try await updateLoadBalancer(request, region: region))
        case .delete:
            let id = try priorID(request)
            let reply = try await sendChange(
                balancer: id, address: request.spec.address, "DELETE", "loadbalancers/\(id)", region: region,
                action: "DeleteLoadBalancer", expected: [202, 204, 400, 404, 410])
            if reply.status == 400 {  // already PENDING-DELETE or DELETED; anything else is an error
                let state = try await client.call(
                    .loadBalancers, "GET", "loadbalancers/\(id)", region: region, action: "GetLoadBalancer",
                    expected: [200, 404, 410])
                let status = state.body["loadBalancer"]["status"].string ?? ""
                guard state.status != 200 || ["PENDING_DELETE", "PENDING-DELETE", "DELETED"].contains(status) else {
                    throw reply.error(redacting: configuration.apiKey)
                }
            }
            return ApplyResponse(resource: nil)
        }
    }

    private func createLoadBalancer(_ request: ApplyRequest, region: String) async throws -> CloudResource {
        let spec = try request.typed(LoadBalancerSpec.self)
        let settings = try LoadBalancerSettings(spec, address: request.spec.address)
        let name = Self.cloudName(request, kind: true)
        var id = try await findLoadBalancer(named: name, token: request.token, region: region)
        if id == nil {
            var tags = Self.tags(request)
            tags.merge(Self.loadBalancerMetadata(spec)) { _, new in new }
            var body: [String: JSONValue] = [
                "name": .string(name), "protocol": .string(settings.protocolName), "port": .number(Double(settings.port)),
                "virtualIps": [["type": .string(settings.virtualIPType)]], "nodes": [],
                "metadata": .array(tags.sorted { $0.key < $1.key }.map { ["key": .string($0.key), "value": .string($0.value)] }),
            ]
            if let monitor = settings.healthMonitor { body["healthMonitor"] = monitor }
            let reply = try await client.send(
                .loadBalancers, "POST", "loadbalancers", body: ["loadBalancer": .object(body)], region: region,
                action: "CreateLoadBalancer", retry: false)
            if reply.ok, let created = reply.body["loadBalancer"]["id"].string {
                id = created
            } else if reply.status >= 500 {
                id = try await findLoadBalancer(named: name, token: request.token, region: region)
                if id == nil { throw reply.error(redacting: configuration.apiKey) }
            } else {
                throw reply.error(redacting: configuration.apiKey)
            }
        }
        let lbID = id ?? ""
        _ = try await waitForLoadBalancer(lbID, address: request.spec.address, region: region)
        if let monitor = settings.healthMonitor {
            // Set explicitly as well: a create retried after an ambiguous failure adopts a balancer
            // whose monitor may be missing, and the PUT is idempotent.
            _ = try await sendChange(
                balancer: lbID, address: request.spec.address, "PUT", "loadbalancers/\(lbID)/healthmonitor",
                body: ["healthMonitor": monitor], region: region, action: "UpdateHealthMonitor")
            _ = try await waitForLoadBalancer(lbID, address: request.spec.address, region: region)
        }
        try await configureTLS(request, certificate: spec.certificate, id: lbID, settings: settings, region: region)
        return try await waitForLoadBalancer(lbID, address: request.spec.address, region: region)
    }

    /// Changes a balancer in place to what the spec says: its protocol and port (`PUT
    /// loadbalancers/{id}`, after SSL termination is removed when the new protocol is a secure one
    /// or no listener terminates TLS any more), its health monitor, its TLS termination, and the
    /// `catalyze:*` metadata refresh reads the balancer's attributes back from (`PUT`/`POST`/`DELETE`
    /// `loadbalancers/{id}/metadata`), so that the next plan is clean. Each change waits for the
    /// balancer to be ACTIVE again (a CLB is immutable while PENDING_UPDATE).
    private func updateLoadBalancer(_ request: ApplyRequest, region: String) async throws -> CloudResource {
        let spec = try request.typed(LoadBalancerSpec.self)
        let id = try priorID(request)
        let address = request.spec.address
        let settings = try LoadBalancerSettings(spec, address: address)
        let current = try await client.call(.loadBalancers, "GET", "loadbalancers/\(id)", region: region, action: "GetLoadBalancer")
            .body["loadBalancer"]
        if settings.securePort == nil {
            let termination = try await client.call(
                .loadBalancers, "GET", "loadbalancers/\(id)/ssltermination", region: region, action: "GetSSLTermination",
                expected: [200, 404])
            if termination.status == 200, termination.body["sslTermination"].object.isEmpty == false {
                _ = try await sendChange(
                    balancer: id, address: address, "DELETE", "loadbalancers/\(id)/ssltermination", region: region,
                    action: "DeleteSSLTermination", expected: [200, 202, 204, 404])
                _ = try await waitForLoadBalancer(id, address: address, region: region)
            }
        }
        if current["protocol"].string != settings.protocolName || current["port"].int != settings.port {
            _ = try await sendChange(
                balancer: id, address: address, "PUT", "loadbalancers/\(id)",
                body: ["loadBalancer": ["protocol": .string(settings.protocolName), "port": .number(Double(settings.port))]],
                region: region, action: "UpdateLoadBalancer", expected: [200, 202])
            _ = try await waitForLoadBalancer(id, address: address, region: region)
        }
        if let monitor = settings.healthMonitor {
            _ = try await sendChange(
                balancer: id, address: address, "PUT", "loadbalancers/\(id)/healthmonitor", body: ["healthMonitor": monitor],
                region: region, action: "UpdateHealthMonitor")
            _ = try await waitForLoadBalancer(id, address: address, region: region)
        }
        try await configureTLS(request, certificate: spec.certificate, id: id, settings: settings, region: region)
        try await syncMetadata(request, wanted: Self.loadBalancerMetadata(spec), id: id, current: current["metadata"].array, region: region)
        return try await waitForLoadBalancer(id, address: address, region: region)
    }

    /// Makes the balancer's `catalyze:<key>` metadata say `wanted` (`loadBalancerMetadata`) for the
    /// keys refresh reads back: a changed value is replaced, a new one added, one no longer wanted removed.
    private func syncMetadata(
        _ request: ApplyRequest, wanted metadata: [String: String], id: String, current: [JSONValue], region: String
    ) async throws {
        var existing: [String: (id: String, value: String)] = [:]
        for item in current {
            guard let key = item["key"].string, let metaID = item["id"].string else { continue }
            existing[key] = (metaID, item["value"].string ?? "")
        }
        var added: [JSONValue] = []
        for key in Self.loadBalancerMetadataKeys {
            let name = "catalyze:\(key)"
            let wanted = metadata[name].flatMap { $0.isEmpty ? nil : $0 }
            switch (existing[name], wanted) {
            case let (found?, value?) where found.value != value:
                _ = try await sendChange(
                    balancer: id, address: request.spec.address, "PUT", "loadbalancers/\(id)/metadata/\(found.id)",
                    body: ["meta": ["value": .string(value)]], region: region, action: "UpdateLoadBalancerMetadata",
                    expected: [200, 202, 204])
            case let (found?, nil):
                _ = try await sendChange(
                    balancer: id, address: request.spec.address, "DELETE", "loadbalancers/\(id)/metadata/\(found.id)",
                    region: region, action: "DeleteLoadBalancerMetadata", expected: [200, 202, 204, 404])
            case let (nil, value?):
                added.append(["key": .string(name), "value": .string(value)])
            default:
                break
            }
        }
        if !added.isEmpty {
            _ = try await sendChange(
                balancer: id, address: request.spec.address, "POST", "loadbalancers/\(id)/metadata",
                body: ["metadata": .array(added)], region: region, action: "AddLoadBalancerMetadata", expected: [200, 202])
        }
    }

    /// The spec attributes a balancer keeps as `catalyze:<key>` metadata, for refresh to read back.
    static let loadBalancerMetadataKeys = ["type", "scheme", "listeners", "certificate", "health_check", "network", "firewall"]

    /// `spec` as the balancer's metadata: `catalyze:<key>` = its canonical text, for each of
    /// `loadBalancerMetadataKeys` the spec has (CLB metadata holds text; refresh decodes nothing,
    /// it reports the text back as the balancer's attributes, so the plan compares like with like).
    static func loadBalancerMetadata(_ spec: LoadBalancerSpec) -> [String: String] {
        let canonical = spec.attributes
        var metadata: [String: String] = [:]
        for key in loadBalancerMetadataKeys { metadata["catalyze:\(key)"] = canonical[key] }
        return metadata
    }

    /// The id of this pod's balancer named `name` created under `token`, if one exists.
    private func findLoadBalancer(named name: String, token: String, region: String) async throws -> String? {
        let list = try await client.call(.loadBalancers, "GET", "loadbalancers", region: region, action: "ListLoadBalancers")
        for candidate in list.body["loadBalancers"].array where candidate["name"].string == name {
            guard let id = candidate["id"].string, candidate["status"].string != "DELETED" else { continue }
            let detail = try await client.call(.loadBalancers, "GET", "loadbalancers/\(id)", region: region, action: "GetLoadBalancer")
            if Self.clbTags(detail.body["loadBalancer"])[CatalyzeTag.operation] == token { return id }
        }
        return nil
    }

    /// Installs the certificate (resolved through `request.secrets` at this moment, never stored)
    /// as the balancer's TLS termination. A provider certificate id is refused: Cloud Load
    /// Balancers keep no certificate store.
    private func configureTLS(
        _ request: ApplyRequest, certificate: String?, id: String, settings: LoadBalancerSettings, region: String
    ) async throws {
        guard let securePort = settings.securePort else { return }
        guard let reference = certificate.flatMap(SecretReference.init(parsing:)), reference.isResolvable else {
            throw DriverError.invalidSpec(
                address: request.spec.address,
                reason: "an https listener needs 'certificate' as env:NAME or file:PATH (a PEM bundle); Cloud Load Balancers have no certificate store")
        }
        let secret = try request.secrets.secret(for: reference)
        let bundle = try PEMBundle(secret, address: request.spec.address)
        var termination: [String: JSONValue] = [
            "certificate": .string(bundle.certificate), "privatekey": .string(bundle.privateKey.reveal()), "enabled": true,
            "securePort": .number(Double(securePort)), "secureTrafficOnly": .bool(settings.secureOnly),
        ]
        if !bundle.chain.isEmpty { termination["intermediateCertificate"] = .string(bundle.chain) }
        // The reply may quote the request; build the error from the status and code only.
        let reply = try await sendChange(
            balancer: id, address: request.spec.address, "PUT", "loadbalancers/\(id)/ssltermination",
            body: ["sslTermination": .object(termination)], region: region, action: "UpdateSSLTermination",
            expected: Set(100..<600))
        guard reply.ok else {
            throw DriverError.api(
                service: "loadBalancers", action: "UpdateSSLTermination", status: reply.status,
                code: RackspaceError.from(status: reply.status, body: reply.raw, service: "", action: "", redacting: nil).code,
                message: "TLS termination refused")
        }
    }

    /// Polls, with doubling pauses, until the balancer is ACTIVE and returns it as recorded; at most
    /// `configuration.loadBalancerWait` in all (`CATALYZE_RAX_LB_WAIT`).
    func waitForLoadBalancer(_ id: String, address: ResourceAddress, region: String) async throws -> CloudResource {
        var status = "UNKNOWN"
        let deadline = configuration.clock.now().addingTimeInterval(Self.seconds(configuration.loadBalancerWait))
        for poll in 0... {
            if poll > 0 {
                let left = deadline.timeIntervalSince(configuration.clock.now())
                guard left > 0 else { throw waitExceeded(id, address: address, status: status) }
                try await Task.sleep(for: min(backoff(poll - 1), .milliseconds(Int64(left * 1000) + 1)))
            }
            let reply = try await client.call(.loadBalancers, "GET", "loadbalancers/\(id)", region: region, action: "GetLoadBalancer")
            let balancer = reply.body["loadBalancer"]
            status = balancer["status"].string ?? "UNKNOWN"
            if status == "ACTIVE" { return Self.loadBalancerResource(balancer) }
            if Self.finalStatuses.contains(status) {
                throw DriverError.failedState(
                    address: address, state: status,
                    detail: "load balancer \(id) is \(status), which no waiting ends; see it in the control panel or ask Rackspace support")
            }
        }
        throw waitExceeded(id, address: address, status: status)
    }

    /// A CLB's `[{key, value}]` metadata as a dictionary.
    static func clbTags(_ balancer: JSONValue) -> [String: String] {
        var tags: [String: String] = [:]
        for item in balancer["metadata"].array {
            if let key = item["key"].string, let value = item["value"].string { tags[key] = value }
        }
        return tags
    }

    /// The balancer as recorded: attributes from its `catalyze:*` metadata (the CLB API does not
    /// return listeners in catalyze's form), outputs its id, status and virtual IPs. A passthrough
    /// listener is checked against the balancer itself: when its protocol or port is not the
    /// `HTTPS` one the listener makes (changed outside catalyze), `listeners` reports what the cloud
    /// has, and when the details carry a health monitor that is not `CONNECT` for a `tcp` check,
    /// `health_check` reports its type: differences the next plan shows.
    static func loadBalancerResource(_ balancer: JSONValue) -> CloudResource {
        let tags = clbTags(balancer)
        var attributes: [String: String] = [:]
        for key in loadBalancerMetadataKeys { attributes[key] = tags["catalyze:\(key)"] }
        if let recorded = try? ListenerSpec.list(canonical: attributes["listeners"] ?? ""), let passthrough = recorded.first,
           passthrough.isPassthrough, let proto = balancer["protocol"].string, let port = balancer["port"].int
        {
            let live = proto == "HTTPS" ? ListenerProtocol.tlsPassthrough : proto.lowercased()
            attributes["listeners"] = ListenerSpec.canonical([ListenerSpec(proto: live, port: port, targetPort: passthrough.targetPort)])
        }
        if let check = attributes["health_check"], check.hasPrefix("tcp:"), let type = balancer["healthMonitor"]["type"].string, type != "CONNECT" {
            attributes["health_check"] = "\(type.lowercased()):\(balancer["healthMonitor"]["path"].string ?? ""):"
        }
        var outputs: [String: String] = ["status": balancer["status"].string ?? ""]
        outputs["vip"] = balancer["virtualIps"].array.first { $0["ipVersion"].string == "IPV4" }?["address"].string
        outputs["name"] = balancer["name"].string
        return CloudResource(cloudID: balancer["id"].string ?? "", attributes: attributes, outputs: outputs.compactMapValues { $0 })
    }
}

extension SecretReference {
    /// True for references catalyze resolves itself (`env:`, `file:`).
    var isResolvable: Bool {
        switch self {
        case .environment, .file: true
        case .keyService: false
        }
    }
}
