import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// `lb_target`: one node of the pod's load balancer, tagged on its server (and in the node's metadata).
struct NodeHandler: RackspaceResourceHandler {
    var kind: ResourceKind { .lbTarget }
    var lists: Set<RackspaceList> { [.servers, .loadBalancers] }

    func apply(_ request: ApplyRequest, driver: RackspaceDriver, region: String) async throws -> ApplyResponse {
        try await driver.applyNode(request, region: region)
    }

    /// The nodes of the pod's balancers (from their details) whose address is a pod server's private
    /// IP, as the target that server's `catalyze:lb-target` metadata names.
    func read(_ batch: RackspaceBatch, into found: inout [LiveResource]) {
        var serversByIP: [String: [String: String]] = [:]  // private IP → the pod server's metadata
        for (metadata, live) in ServerHandler.podServers(batch) {
            if let ip = live.resource.outputs["private_ip"] { serversByIP[ip] = metadata }
        }
        for (balancer, nodes) in LoadBalancerHandler.podBalancers(batch) {
            found += RackspaceDriver.podTargets(nodes, balancer: balancer, serversByIP: serversByIP, pod: batch.pod)
        }
    }

    /// Nothing of its own: a target carries its server's lineage.
    func tag(_ request: TagRequest, driver: RackspaceDriver) async throws -> TagResponse { TagResponse(objects: 0) }
}

extension RackspaceDriver {
    /// `lb_target`: one node (the instance's private IP and the target port) of the balancer.
    ///
    /// The node is tagged through the CLB node metadata API, and its server is tagged too
    /// (`catalyze:lb-target` and `catalyze:lb-target-op` server metadata items, as on AWS instances), which is what
    /// refresh reads: the balancer's details list its nodes and the server list carries the tags,
    /// so refresh needs no call per node. Where a tag is missing (a crash between the calls), a
    /// later create adopts the node with the same address and port instead of adding a second.
    func applyNode(_ request: ApplyRequest, region: String) async throws -> ApplyResponse {
        let lbID = try request.dependencyID("load_balancer")
        switch request.operation {
        case .create, .update:
            let spec = try request.typed(LBTargetSpec.self)
            let instanceAddress = spec.instance
            guard let instance = request.dependencies[instanceAddress] else {
                throw DriverError.missingDependency(address: request.spec.address, dependency: request.spec.dependencies.last ?? request.spec.address)
            }
            guard let ip = instance.outputs["private_ip"], !ip.isEmpty else {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "\(instanceAddress) has no recorded private IP")
            }
            let port = spec.port
            let existing = try await listNodes(lbID, region: region).first { $0["address"].string == ip && $0["port"].int == port }
            var node = existing
            if node == nil {
                let body: JSONValue = [
                    "nodes": [["address": .string(ip), "port": .number(Double(port)), "condition": "ENABLED", "type": "PRIMARY"]]
                ]
                let reply = try await sendChange(
                    balancer: lbID, address: request.spec.address, "POST", "loadbalancers/\(lbID)/nodes", body: body,
                    region: region, action: "AddNodes", expected: [200, 202])
                node = reply.body["nodes"].array.first
                try await tagNode(lbID, node: node?["id"].string ?? "", request: request, instance: instanceAddress, region: region)
            }
            try await tagServer(instance.cloudID, target: request, region: region)
            guard let node, let nodeID = node["id"].string else {
                throw DriverError.malformedResponse(service: "loadBalancers", action: "AddNodes", detail: "no node id")
            }
            try await waitUntilOnline(request, lbID: lbID, nodeID: nodeID, server: "server \(instance.cloudID) (\(instanceAddress))", region: region)
            return ApplyResponse(resource: CloudResource(
                cloudID: "\(lbID)/\(nodeID)",
                attributes: [
                    "load_balancer": spec.loadBalancer.description, "instance": instanceAddress.description, "port": String(port),
                ],
                outputs: ["address": ip, "condition": node["condition"].string ?? ""]))
        case .delete:
            let nodeID = try priorID(request).split(separator: "/").last.map(String.init) ?? ""
            _ = try await sendChange(
                balancer: lbID, address: request.spec.address, "DELETE", "loadbalancers/\(lbID)/nodes/\(nodeID)",
                region: region, action: "DeleteNode", expected: [200, 202, 204, 404, 410])
            return ApplyResponse(resource: nil)
        }
    }

    /// Waits (`request.healthWait`) until the node passes the balancer's health monitor.
    ///
    /// Cloud Load Balancers API v1.0 ("Nodes"): a node's `status` is `ONLINE` while it passes the
    /// monitor, `OFFLINE` while it fails it (a new node of a monitored balancer starts `OFFLINE`),
    /// and its `condition` (`ENABLED`, `DISABLED`, `DRAINING`) says whether it may take traffic;
    /// only `ONLINE` and `ENABLED` serves.
    private func waitUntilOnline(_ request: ApplyRequest, lbID: String, nodeID: String, server: String, region: String) async throws {
        guard let limit = request.healthWait else { return }
        try await TargetHealth.wait(address: request.spec.address, target: server, limit: limit) {
            let reply = try await client.call(
                .loadBalancers, "GET", "loadbalancers/\(lbID)/nodes/\(nodeID)", region: region, action: "GetNode")
            let status = reply.body["node"]["status"].string ?? "unknown"
            let condition = reply.body["node"]["condition"].string ?? "unknown"
            return TargetHealth(state: status, reason: "condition \(condition)", healthy: status == "ONLINE" && condition == "ENABLED")
        }
    }

    func listNodes(_ lbID: String, region: String) async throws -> [JSONValue] {
        let reply = try await client.call(.loadBalancers, "GET", "loadbalancers/\(lbID)/nodes", region: region, action: "ListNodes")
        return reply.body["nodes"].array
    }

    /// Tags the target's server with the target's address and operation (Nova's "create or update
    /// metadata item", one call each). Not undone on delete: refresh reports a target only while
    /// a node with the server's address is on the balancer.
    private func tagServer(_ serverID: String, target request: ApplyRequest, region: String) async throws {
        let items = [
            (CatalyzeTag.lbTarget, request.spec.address.description), (CatalyzeTag.lbTargetOperation, request.token),
        ]
        for (key, value) in items {
            _ = try await client.call(
                .compute, "PUT", "servers/\(serverID)/metadata/\(key)", body: ["meta": [key: .string(value)]],
                region: region, action: "SetServerMetadataItem")
        }
    }

    private func tagNode(_ lbID: String, node: String, request: ApplyRequest, instance: ResourceAddress, region: String) async throws {
        guard !node.isEmpty else { return }
        var tags = Self.tags(request)
        tags["catalyze:instance"] = instance.description
        let body: JSONValue = ["metadata": .array(tags.sorted { $0.key < $1.key }.map { ["key": .string($0.key), "value": .string($0.value)] })]
        _ = try await sendChange(
            balancer: lbID, address: request.spec.address, "POST", "loadbalancers/\(lbID)/nodes/\(node)/metadata", body: body,
            region: region, action: "TagNode", expected: [200, 201, 202, 203, 204, 404, 405])
    }

    /// The balancer's nodes whose address is a pod server tagged by an `lb_target`, as that target.
    static func podTargets(
        _ nodes: [JSONValue], balancer: LiveResource, serversByIP: [String: [String: String]], pod: String
    ) -> [LiveResource] {
        var found: [LiveResource] = []
        for node in nodes {
            guard let nodeID = node["id"].int.map(String.init) ?? node["id"].string, let ip = node["address"].string,
                  let server = serversByIP[ip], let text = server[CatalyzeTag.lbTarget],
                  let address = ResourceAddress(parsing: text), address.kind == .lbTarget
            else { continue }
            let resource = CloudResource(
                cloudID: "\(balancer.resource.cloudID)/\(nodeID)",
                attributes: [
                    "load_balancer": balancer.address.description, "instance": server[CatalyzeTag.address] ?? "",
                    "port": node["port"].int.map(String.init) ?? "",
                ],
                outputs: ["address": ip, "condition": node["condition"].string ?? ""])
            found.append(LiveResource(
                address: address, kind: .lbTarget, resource: resource, operationToken: server[CatalyzeTag.lbTargetOperation],
                lineage: server[CatalyzeTag.lineage]))
        }
        return found
    }
}
