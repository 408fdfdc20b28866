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
    /// One `GET` of a whole list (`RackspaceGetList`): a kind read back from such a list declares it
    /// in its handler's file, and refresh makes it with the others at once.
    case get(RackspaceGetList)
    /// Cinder `GET volumes/detail`.
    case volumes
    /// Cloud Backup `GET user/agents` once, then `GET backup-configuration/system/{agent}` per agent of
    /// one of the pod's database servers (`podBackupConfigurations`); none without such a server.
    /// Needs `servers`.
    case backupConfigurations
}

/// A list one `GET` returns whole, and the reply's key that holds it.
struct RackspaceGetList: Hashable, Sendable {
    /// The service called.
    var service: RackspaceService
    /// The path, e.g. `networks`.
    var path: String
    /// The reply's key holding the list, e.g. `networks`.
    var key: String
    /// The API action's name in errors and counts, e.g. `ListNetworks`.
    var action: String

    /// Neutron `GET networks`.
    static let networks = RackspaceGetList(service: .network, path: "networks", key: "networks", action: "ListNetworks")
    /// Neutron `GET subnets`.
    static let subnets = RackspaceGetList(service: .network, path: "subnets", key: "subnets", action: "ListSubnets")
    /// Neutron `GET security-groups`.
    static let securityGroups = RackspaceGetList(
        service: .network, path: "security-groups", key: "security_groups", action: "ListSecurityGroups")
    /// Neutron `GET security-group-rules`.
    static let securityGroupRules = RackspaceGetList(
        service: .network, path: "security-group-rules", key: "security_group_rules", action: "ListSecurityGroupRules")
    /// Cinder `GET types`.
    static let volumeTypes = RackspaceGetList(service: .blockStorage, path: "types", key: "volume_types", action: "ListVolumeTypes")
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
    /// Every volume of the tenant in the region.
    var volumes: [JSONValue] = []
    /// What each `GET` list made returned (`self[list]`).
    var lists: [RackspaceGetList: [JSONValue]] = [:]
    /// The agents of the pod's database servers in `MachineAgentId` order, each with its
    /// configurations.
    var backupAgents: [(agent: JSONValue, configurations: [JSONValue])] = []

    /// What `list` returned; nothing when no handler named it.
    subscript(list: RackspaceGetList) -> [JSONValue] { lists[list] ?? [] }
}

extension RackspaceDriver {
    /// Makes the list calls in `lists` concurrently (Cloud Backup's after the servers it needs) into
    /// one batch. A failure throws the first failed call's error: servers, balancers, the `GET`
    /// lists (in action order), volumes, backups.
    func batch(_ lists: Set<RackspaceList>, pod: String, region: String) async throws -> RackspaceBatch {
        let getLists = lists.compactMap { if case .get(let list) = $0 { list } else { nil } }
        let needsServers = lists.contains(.servers) || lists.contains(.backupConfigurations)
        async let servers = needsServers ? listServers(region: region) : []
        async let balancers = lists.contains(.loadBalancers) ? podLoadBalancers(pod: pod, region: region) : []
        async let volumes = lists.contains(.volumes) ? listVolumes(region: region) : []
        async let got = getAll(getLists, region: region)
        var batch = RackspaceBatch(pod: pod)
        batch.servers = try await servers
        batch.loadBalancers = try await balancers
        batch.lists = try await got
        batch.volumes = try await volumes
        if lists.contains(.backupConfigurations) {
            batch.backupAgents = try await podBackupConfigurations(pod: pod, region: region, servers: batch.servers)
        }
        return batch
    }

    /// Each of `lists`, all at once; a failure is thrown in the lists' action order, whichever
    /// failed first in time.
    func getAll(_ lists: [RackspaceGetList], region: String) async throws -> [RackspaceGetList: [JSONValue]] {
        try await allAtOnce(lists.sorted { $0.action < $1.action }) { list in
            try await self.client.call(list.service, "GET", list.path, region: region, action: list.action).body[list.key].array
        }
    }
}
