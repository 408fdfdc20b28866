import CatalyzeCore
import CatalyzeDrivers
import Foundation

extension RackspaceDriver {
    /// Finds a pod's resources by their tags with one list call per resource type (pagination
    /// aside), whatever their number: servers (metadata), load balancers (metadata; one detail
    /// call per balancer *named* for the pod), networks, security groups and rules (descriptions),
    /// volumes and their attachments (metadata).
    ///
    /// Not reported: `lb_target` (CLB nodes are tagged through node metadata, which list calls do
    /// not return; a re-create adopts the node with the same address and port) and `vpn` (none on
    /// Rackspace) and `key` (volume types carry no tags). Attributes never reported: an instance's `ssh_ca`.
    public func refresh(_ request: RefreshRequest) async throws -> RefreshResponse {
        let region = request.region
        let pod = request.pod
        async let servers = listServers(region: region)
        async let balancers = podLoadBalancers(pod: pod, region: region)
        async let networking = podNetworking(pod: pod, region: region)
        async let storage = podStorage(pod: pod, region: region)
        var found: [LiveResource] = []
        for server in try await servers where server["status"].string != "DELETED" {
            if let live = Self.live(server["metadata"].stringMembers, pod: pod, kind: .instance, resource: Self.serverResource(server)) {
                found.append(live)
            }
        }
        found += try await balancers
        found += try await networking
        found += try await storage
        return RefreshResponse(resources: found)
    }

    private func podLoadBalancers(pod: String, region: String) async throws -> [LiveResource] {
        let list = try await client.call(.loadBalancers, "GET", "loadbalancers", region: region, action: "ListLoadBalancers")
        let prefix = String("\(pod)-load-balancer-".map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "-" })
        var found: [LiveResource] = []
        for candidate in list.body["loadBalancers"].array {
            guard let name = candidate["name"].string, name.hasPrefix(prefix), let id = candidate["id"].string,
                  !["DELETED", "PENDING_DELETE", "PENDING-DELETE"].contains(candidate["status"].string ?? "")
            else { continue }
            let detail = try await client.call(
                .loadBalancers, "GET", "loadbalancers/\(id)", region: region, action: "GetLoadBalancer", expected: [200, 404, 410])
            guard detail.status == 200 else { continue }
            let balancer = detail.body["loadBalancer"]
            if let live = Self.live(Self.clbTags(balancer), pod: pod, kind: .loadBalancer, resource: Self.loadBalancerResource(balancer)) {
                found.append(live)
            }
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
                if let live = Self.live(ruleTags, pod: pod, kind: .firewallRule, resource: resource) { found.append(live) }
            }
        }
        return found
    }

    private func podStorage(pod: String, region: String) async throws -> [LiveResource] {
        let volumes = try await listVolumes(region: region)
        var found: [LiveResource] = []
        for volume in volumes where volume["status"].string != "deleting" {
            let metadata = volume["metadata"].stringMembers
            guard let live = Self.live(metadata, pod: pod, kind: .volume, resource: Self.volumeResource(volume)) else { continue }
            found.append(live)
            // An attachment recorded on the volume and still present in its `attachments`.
            guard let text = metadata["catalyze:attachment"], let address = ResourceAddress(parsing: text),
                  let attached = volume["attachments"].array.first, let serverID = attached["server_id"].string
            else { continue }
            let resource = CloudResource(
                cloudID: "\(serverID)/\(live.resource.cloudID)",
                attributes: ["volume": live.address.description, "device": attached["device"].string ?? metadata["catalyze:attachment_device"] ?? ""],
                outputs: [:])
            found.append(LiveResource(address: address, kind: .attachment, resource: resource, operationToken: metadata["catalyze:attachment_op"]))
        }
        return found
    }
}
