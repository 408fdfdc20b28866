import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// A list call refresh batches: one call per region (pagination aside), whatever the pod's size,
/// except where a service lists nothing without a parent (noted per case).
enum RackspaceList: Hashable, Sendable {
    /// Nova `GET servers/detail`, every page.
    case servers
    /// CLB `GET loadbalancers`, then one `GET loadbalancers/{id}` per balancer named for the pod and
    /// one `GET loadbalancers/{id}/ssltermination` per such balancer with an https listener
    /// (`podLoadBalancers`).
    case loadBalancers
    /// Neutron `GET networks`.
    case networks
    /// Neutron `GET subnets`.
    case subnets
    /// Neutron `GET security-groups`.
    case securityGroups
    /// Neutron `GET security-group-rules`.
    case securityGroupRules
    /// Cinder `GET volumes/detail`.
    case volumes
    /// Cinder `GET types`.
    case volumeTypes
    /// Cloud Backup `GET user/agents` once, then `GET backup-configuration/system/{agent}` per agent of
    /// one of the pod's database servers (`podBackupConfigurations`); none without such a server.
    /// Needs `servers`.
    case backupConfigurations
}

/// What refresh's list calls returned in one region, for the handlers to read.
struct RackspaceBatch: Sendable {
    /// The pod whose resources the handlers report.
    var pod: String
    /// Every server of the tenant in the region.
    var servers: [JSONValue] = []
    /// The pod's balancers (details, with their nodes), each with whether its TLS termination is
    /// installed (always true without an https listener).
    var loadBalancers: [(balancer: JSONValue, terminatesTLS: Bool)] = []
    var networks: [JSONValue] = []
    var subnets: [JSONValue] = []
    var securityGroups: [JSONValue] = []
    var securityGroupRules: [JSONValue] = []
    var volumes: [JSONValue] = []
    var volumeTypes: [JSONValue] = []
    /// The agents of the pod's database servers in `MachineAgentId` order, each with its
    /// configurations.
    var backupAgents: [(agent: JSONValue, configurations: [JSONValue])] = []
}

extension RackspaceDriver {
    /// Makes the list calls in `lists` concurrently (Cloud Backup's after the servers it needs) into
    /// one batch. A failure throws the first failed call's error in the order the cases are
    /// declared.
    func batch(_ lists: Set<RackspaceList>, pod: String, region: String) async throws -> RackspaceBatch {
        func neutron(_ list: RackspaceList, _ path: String, _ key: String, _ action: String) async throws -> [JSONValue] {
            guard lists.contains(list) else { return [] }
            return try await client.call(.network, "GET", path, region: region, action: action).body[key].array
        }
        let needsServers = lists.contains(.servers) || lists.contains(.backupConfigurations)
        async let servers = needsServers ? listServers(region: region) : []
        async let balancers = lists.contains(.loadBalancers) ? podLoadBalancers(pod: pod, region: region) : []
        async let networks = neutron(.networks, "networks", "networks", "ListNetworks")
        async let subnets = neutron(.subnets, "subnets", "subnets", "ListSubnets")
        async let groups = neutron(.securityGroups, "security-groups", "security_groups", "ListSecurityGroups")
        async let rules = neutron(.securityGroupRules, "security-group-rules", "security_group_rules", "ListSecurityGroupRules")
        async let volumes = lists.contains(.volumes) ? listVolumes(region: region) : []
        async let types = lists.contains(.volumeTypes)
            ? client.call(.blockStorage, "GET", "types", region: region, action: "ListVolumeTypes").body["volume_types"].array : []
        var batch = RackspaceBatch(pod: pod)
        batch.servers = try await servers
        batch.loadBalancers = try await balancers
        (batch.networks, batch.subnets, batch.securityGroups, batch.securityGroupRules) = try await (networks, subnets, groups, rules)
        (batch.volumes, batch.volumeTypes) = try await (volumes, types)
        if lists.contains(.backupConfigurations) {
            batch.backupAgents = try await podBackupConfigurations(pod: pod, region: region, servers: batch.servers)
        }
        return batch
    }
}
