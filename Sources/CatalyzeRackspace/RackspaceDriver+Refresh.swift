import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

extension RackspaceDriver {
    /// Finds a pod's resources by their tags with one list call per resource type (pagination
    /// aside): servers (metadata); load balancers (metadata; one detail call per balancer *named*
    /// for the pod, one SSL termination read for a balancer with an https listener) and their
    /// nodes (from that detail: a node whose address is a pod server's, tagged on that server by
    /// `lb_target`, is reported as that target); networks, security
    /// groups and rules (descriptions); volumes and their attachments (metadata); and keys: volume
    /// types carry no tags, so a key is reported as the encrypted type that the pod's volumes name
    /// in their `catalyze:key` metadata, while that type still exists.
    ///
    /// Backup plans: Cloud Backup agents once, then one configuration list per database server's agent
    /// (see `podBackupPlans`). Not reported: `vpn` (none on Rackspace). Attributes never reported: an instance's `ssh_ca`.
    public func refresh(_ request: RefreshRequest) async throws -> RefreshResponse {
        let region = request.region
        let pod = request.pod
        async let servers = listServers(region: region)
        async let balancers = podLoadBalancers(pod: pod, region: region)
        async let networking = podNetworking(pod: pod, region: region)
        async let storage = podStorage(pod: pod, region: region)
        var found: [LiveResource] = []
        var serversByIP: [String: [String: String]] = [:]  // private IP → the pod server's metadata
        let serverList = try await servers
        for server in serverList where server["status"].string != "DELETED" {
            let metadata = server["metadata"].stringMembers
            let resource = Self.serverResource(server)
            if let live = Self.live(metadata, pod: pod, kind: .instance, resource: resource) {
                found.append(live)
                if let ip = resource.outputs["private_ip"] { serversByIP[ip] = metadata }
            }
        }
        for (balancer, nodes) in try await balancers {
            found.append(balancer)
            found += Self.podTargets(nodes, balancer: balancer, serversByIP: serversByIP, pod: pod)
        }
        found += try await networking
        found += try await storage
        found += try await podBackupPlans(pod: pod, region: region, servers: serverList)
        return RefreshResponse(resources: found)
    }

    /// The pod's balancers, each with the nodes its details list.
    private func podLoadBalancers(pod: String, region: String) async throws -> [(LiveResource, [JSONValue])] {
        let list = try await client.call(.loadBalancers, "GET", "loadbalancers", region: region, action: "ListLoadBalancers")
        let prefix = String("\(pod)-load-balancer-".map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "-" })
        var found: [(LiveResource, [JSONValue])] = []
        for candidate in list.body["loadBalancers"].array {
            guard let name = candidate["name"].string, name.hasPrefix(prefix), let id = candidate["id"].string,
                  !["DELETED", "PENDING_DELETE", "PENDING-DELETE"].contains(candidate["status"].string ?? "")
            else { continue }
            let detail = try await client.call(
                .loadBalancers, "GET", "loadbalancers/\(id)", region: region, action: "GetLoadBalancer", expected: [200, 404, 410])
            guard detail.status == 200 else { continue }
            let balancer = detail.body["loadBalancer"]
            if var live = Self.live(Self.clbTags(balancer), pod: pod, kind: .loadBalancer, resource: Self.loadBalancerResource(balancer)) {
                if try await !terminatesTLS(id, listeners: live.resource.attributes["listeners"] ?? "", region: region) {
                    live.resource.attributes["certificate"] = Self.tlsNotInstalled
                }
                found.append((live, balancer["nodes"].array))
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

    private func podNetworking(pod: String, region: String) async throws -> [LiveResource] {
        async let networksReply = client.call(.network, "GET", "networks", region: region, action: "ListNetworks")
        async let subnetsReply = client.call(.network, "GET", "subnets", region: region, action: "ListSubnets")
        async let groupsReply = client.call(.network, "GET", "security-groups", region: region, action: "ListSecurityGroups")
        async let rulesReply = client.call(.network, "GET", "security-group-rules", region: region, action: "ListSecurityGroupRules")
        let (networks, subnets, groups, rules) = try await (
            networksReply.body["networks"].array, subnetsReply.body["subnets"].array, groupsReply.body["security_groups"].array,
            rulesReply.body["security_group_rules"].array)
        var found: [LiveResource] = []
        for network in networks {
            let subnet = subnets.first { $0["network_id"] == network["id"] }
            if let live = Self.live(
                Self.undescribe(network["description"].string), pod: pod, kind: .network, resource: Self.networkResource(network, subnet: subnet))
            {
                found.append(live)
            }
        }
        for group in groups {
            let tags = Self.undescribe(group["description"].string)
            guard tags[CatalyzeTag.pod] == pod else { continue }
            let own = rules.filter { $0["security_group_id"] == group["id"] }
            if let live = Self.live(tags, pod: pod, kind: .firewall, resource: Self.securityGroupResource(group, rules: own)) {
                found.append(live)
            }
            for rule in own {
                let ruleTags = Self.undescribe(rule["description"].string)
                let resource = Self.ruleResource(rule, firewall: tags[CatalyzeTag.address] ?? "")
                // A rule carries its group's lineage: Neutron rules cannot be updated, so only the
                // group can be re-tagged.
                if var live = Self.live(ruleTags, pod: pod, kind: .firewallRule, resource: resource) {
                    live.lineage = tags[CatalyzeTag.lineage]
                    found.append(live)
                }
            }
        }
        return found
    }

    private func podStorage(pod: String, region: String) async throws -> [LiveResource] {
        async let volumesReply = listVolumes(region: region)
        async let typesReply = client.call(.blockStorage, "GET", "types", region: region, action: "ListVolumeTypes")
        let (volumes, types) = try await (volumesReply, typesReply.body["volume_types"].array)
        var found: [LiveResource] = []
        var keys: [ResourceAddress: LiveResource] = [:]
        for volume in volumes where volume["status"].string != "deleting" {
            let metadata = volume["metadata"].stringMembers
            guard let live = Self.live(metadata, pod: pod, kind: .volume, resource: Self.volumeResource(volume)) else { continue }
            found.append(live)
            // The key this volume was made with, while its (untaggable) volume type exists.
            if let text = metadata["catalyze:key"], let keyAddress = ResourceAddress(parsing: text), keyAddress.kind == .key,
               let typeName = volume["volume_type"].string,
               let type = types.first(where: { $0["name"].string == typeName || $0["id"].string == typeName }), let typeID = type["id"].string
            {
                keys[keyAddress] = LiveResource(
                    address: keyAddress, kind: .key,
                    resource: CloudResource(cloudID: typeID, attributes: [:], outputs: ["name": type["name"].string ?? typeName]),
                    operationToken: nil, lineage: live.lineage)
            }
            // An attachment recorded on the volume and still present in its `attachments`.
            guard let text = metadata["catalyze:attachment"], let address = ResourceAddress(parsing: text),
                  let attached = volume["attachments"].array.first, let serverID = attached["server_id"].string
            else { continue }
            let resource = CloudResource(
                cloudID: "\(serverID)/\(live.resource.cloudID)",
                attributes: ["volume": live.address.description, "device": attached["device"].string ?? metadata["catalyze:attachment_device"] ?? ""],
                outputs: [:])
            found.append(LiveResource(
                address: address, kind: .attachment, resource: resource, operationToken: metadata["catalyze:attachment_op"],
                lineage: live.lineage))
        }
        return found + keys.values
    }
}
