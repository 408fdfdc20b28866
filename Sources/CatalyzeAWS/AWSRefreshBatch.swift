import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// One batched list call of a refresh: a fixed number of API calls per region (pagination aside),
/// however many resources the pod has. Handlers name the ones they read (`AWSResourceHandler.lists`).
enum AWSListCall: Hashable, Sendable {
    /// An EC2 Describe call filtered by `tag:catalyze:pod` (`EC2PodList`): a kind read back from
    /// such a list declares it in its handler's file, and refresh makes it with the others at once.
    case ec2(EC2PodList)
    /// KMS ListAliases + ListResourceTags per customer alias of the region (`AWSDriver.refreshKeys`).
    case keys
    /// The existing VPCs the manifest names: DescribeVpcs + DescribeSubnets per reference, none without.
    case referencedNetworks
    /// ELBv2 DescribeLoadBalancers + DescribeTags (20 ARNs per call).
    case loadBalancers
    /// One Resource Groups Tagging API GetResources: the pod's certificates and target groups.
    case balancerParts
    /// AWS Backup ListBackupPlans.
    case backupPlans
    /// AWS Backup ListBackupVaults.
    case backupVaults
}

/// An EC2 Describe call (paginated) filtered by the pod's tag, and where its reply holds the items.
struct EC2PodList: Hashable, Sendable {
    /// The action, e.g. `DescribeVpcs`.
    var action: String
    /// The path to the items: each step a list element of the one before (`reservationSet`, then
    /// each reservation's `instancesSet`).
    var items: [String]
    /// Filters besides `tag:catalyze:pod`, by name.
    var filters: [String: [String]] = [:]

    init(_ action: String, items: String..., filters: [String: [String]] = [:]) {
        self.action = action
        self.items = items
        self.filters = filters
    }

    /// DescribeVpcs (deleted ones included).
    static let vpcs = EC2PodList("DescribeVpcs", items: "vpcSet")
    /// DescribeSubnets.
    static let subnets = EC2PodList("DescribeSubnets", items: "subnetSet")
    /// DescribeSecurityGroups.
    static let securityGroups = EC2PodList("DescribeSecurityGroups", items: "securityGroupInfo")
    /// DescribeInstances of live states (every reservation's instances).
    static let instances = EC2PodList(
        "DescribeInstances", items: "reservationSet", "instancesSet",
        filters: ["instance-state-name": ["pending", "running", "stopping", "stopped"]])
    /// DescribeVolumes (deleting, deleted and failed ones included).
    static let volumes = EC2PodList("DescribeVolumes", items: "volumeSet")
    /// DescribeVpnConnections.
    static let vpnConnections = EC2PodList("DescribeVpnConnections", items: "vpnConnectionSet")
    /// DescribeCustomerGateways.
    static let customerGateways = EC2PodList("DescribeCustomerGateways", items: "customerGatewaySet")
    /// DescribeVpnGateways.
    static let vpnGateways = EC2PodList("DescribeVpnGateways", items: "vpnGatewaySet")
}

/// JSON objects of a list reply (as `JSONSerialization` made them: immutable, read only).
struct JSONObjects: @unchecked Sendable {
    var items: [[String: Any]] = []
}

/// The results of one refresh's batched list calls in one region, which the handlers turn into
/// live resources. A call no handler named is not made, and its list stays empty.
struct AWSRefreshBatch: Sendable {
    /// The pod refreshed.
    var pod: String
    /// The cloud region.
    var region: String
    /// The items of each EC2 list made (`self[list]`).
    var ec2: [EC2PodList: [XMLNode]] = [:]
    /// The pod's KMS keys (`AWSDriver.refreshKeys`).
    var keys: [(address: ResourceAddress, resource: CloudResource, tags: [String: String])] = []
    /// The existing VPCs the manifest names that still exist, under their addresses.
    var referencedNetworks: [(address: ResourceAddress, resource: CloudResource)] = []
    /// DescribeLoadBalancers items, failed balancers left out.
    var balancers: [XMLNode] = []
    /// DescribeTags of those balancers: tags by balancer ARN.
    var balancerTags: [String: [String: String]] = [:]
    /// The certificates and target groups tagged for the pod (GetResources).
    var balancerParts: [TaggedBalancerPart] = []
    /// ListBackupPlans entries.
    var backupPlans = JSONObjects()
    /// ListBackupVaults entries.
    var backupVaults = JSONObjects()

    /// The items of `list`; none when no handler named it.
    subscript(list: EC2PodList) -> [XMLNode] { ec2[list] ?? [] }
}

extension AWSDriver {
    /// Makes the list calls in `calls` for `request`'s pod and region, all at once. A failure is
    /// thrown in a fixed order of the calls (EC2 first, then KMS, ELBv2, tagging, AWS Backup), as
    /// when they were made one service after another, whichever failed first in time.
    func refreshBatch(_ request: RefreshRequest, calls: Set<AWSListCall>) async throws -> AWSRefreshBatch {
        let region = request.region
        let pod = request.pod
        let ec2Lists = calls.compactMap { if case .ec2(let list) = $0 { list } else { nil } }
        async let ec2 = podLists(ec2Lists, pod: pod, region: region)
        async let keys = calls.contains(.keys) ? refreshKeys(pod: pod, region: region) : []
        async let referenced = calls.contains(.referencedNetworks) ? referencedNetworks(request) : []
        async let balancers = calls.contains(.loadBalancers) ? listBalancers(region: region) : ([], [:])
        async let parts = calls.contains(.balancerParts) ? taggedBalancerParts(pod: pod, region: region) : []
        async let plans = calls.contains(.backupPlans) ? JSONObjects(items: listBackupPlans(region: region)) : JSONObjects()
        async let vaults = calls.contains(.backupVaults) ? JSONObjects(items: listBackupVaults(region: region)) : JSONObjects()

        var batch = AWSRefreshBatch(pod: pod, region: region)
        batch.ec2 = try await ec2
        batch.referencedNetworks = try await referenced.map { (address: $0.0, resource: $0.1) }
        batch.keys = try await keys
        (batch.balancers, batch.balancerTags) = try await balancers
        batch.balancerParts = try await parts
        batch.backupPlans = try await plans
        batch.backupVaults = try await vaults
        return batch
    }

    /// The items of each of `lists` for `pod`, all made at once; a failure is thrown in the
    /// lists' action order, whichever failed first in time.
    func podLists(_ lists: [EC2PodList], pod: String, region: String) async throws -> [EC2PodList: [XMLNode]] {
        try await allAtOnce(lists.sorted { $0.action < $1.action }) { list in
            let filters = [("tag:\(CatalyzeTag.pod)", [pod])] + list.filters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            let pages = try await self.client.queryAll(.ec2, list.action, region: region, Self.filters(filters))
            return pages.flatMap { page in list.items.reduce([page]) { nodes, step in nodes.flatMap { $0.list(step) } } }
        }
    }

    /// The region's load balancers (failed ones left out) and their tags by ARN: DescribeLoadBalancers
    /// (paginated) and DescribeTags, 20 ARNs per call.
    func listBalancers(region: String) async throws -> ([XMLNode], [String: [String: String]]) {
        let balancers = try await client.queryAll(.elbv2, "DescribeLoadBalancers", region: region)
            .flatMap { $0.list("DescribeLoadBalancersResult", "LoadBalancers") }
            .filter { $0.string("State", "Code") != "failed" }
        let arns = balancers.compactMap { $0.string("LoadBalancerArn") }
        var tagsByARN: [String: [String: String]] = [:]
        for start in stride(from: 0, to: arns.count, by: 20) {
            var parameters: [String: String] = [:]
            for (n, arn) in arns[start..<min(start + 20, arns.count)].enumerated() { parameters["ResourceArns.member.\(n + 1)"] = arn }
            let reply = try await client.query(.elbv2, "DescribeTags", region: region, parameters)
            for description in reply.list("DescribeTagsResult", "TagDescriptions") {
                if let arn = description.string("ResourceArn") { tagsByARN[arn] = description.tags }
            }
        }
        return (balancers, tagsByARN)
    }
}
