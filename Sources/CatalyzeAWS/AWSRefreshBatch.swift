import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// One batched list call of a refresh: a fixed number of API calls per region (pagination aside),
/// however many resources the pod has. Handlers name the ones they read (`AWSResourceHandler.lists`).
enum AWSListCall: Hashable, Sendable, CaseIterable {
    /// EC2 DescribeVpcs, filtered by `tag:catalyze:pod`.
    case vpcs
    /// EC2 DescribeSubnets, filtered by `tag:catalyze:pod`.
    case subnets
    /// EC2 DescribeSecurityGroups, filtered by `tag:catalyze:pod`.
    case securityGroups
    /// EC2 DescribeInstances, filtered by `tag:catalyze:pod` and a live `instance-state-name`.
    case instances
    /// EC2 DescribeVolumes, filtered by `tag:catalyze:pod`.
    case volumes
    /// EC2 DescribeVpnConnections, filtered by `tag:catalyze:pod`.
    case vpnConnections
    /// EC2 DescribeCustomerGateways, filtered by `tag:catalyze:pod`.
    case customerGateways
    /// EC2 DescribeVpnGateways, filtered by `tag:catalyze:pod`.
    case vpnGateways
    /// EC2 DescribeFlowLogs, filtered by `tag:catalyze:pod`.
    case flowLogs
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
    /// DescribeVpcs items (deleted ones included).
    var vpcs: [XMLNode] = []
    /// DescribeSubnets items.
    var subnets: [XMLNode] = []
    /// DescribeSecurityGroups items.
    var securityGroups: [XMLNode] = []
    /// DescribeInstances items (every reservation's instances).
    var instances: [XMLNode] = []
    /// DescribeVolumes items (deleting, deleted and failed ones included).
    var volumes: [XMLNode] = []
    /// DescribeVpnConnections items.
    var vpnConnections: [XMLNode] = []
    /// DescribeCustomerGateways items.
    var customerGateways: [XMLNode] = []
    /// DescribeVpnGateways items.
    var vpnGateways: [XMLNode] = []
    /// DescribeFlowLogs items.
    var flowLogs: [XMLNode] = []
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
}

extension AWSDriver {
    /// Makes the list calls in `calls` for `request`'s pod and region, all at once. A failure is
    /// thrown in a fixed order of the calls (EC2 first, then KMS, ELBv2, tagging, AWS Backup), as
    /// when they were made one service after another, whichever failed first in time.
    func refreshBatch(_ request: RefreshRequest, calls: Set<AWSListCall>) async throws -> AWSRefreshBatch {
        let region = request.region
        let pod = request.pod
        async let vpcs = podList(.vpcs, calls, "DescribeVpcs", pod: pod, region: region)
        async let subnets = podList(.subnets, calls, "DescribeSubnets", pod: pod, region: region)
        async let groups = podList(.securityGroups, calls, "DescribeSecurityGroups", pod: pod, region: region)
        async let instances = podList(
            .instances, calls, "DescribeInstances", pod: pod, region: region,
            extra: [("instance-state-name", ["pending", "running", "stopping", "stopped"])])
        async let volumes = podList(.volumes, calls, "DescribeVolumes", pod: pod, region: region)
        async let vpns = podList(.vpnConnections, calls, "DescribeVpnConnections", pod: pod, region: region)
        async let customerGateways = podList(.customerGateways, calls, "DescribeCustomerGateways", pod: pod, region: region)
        async let vpnGateways = podList(.vpnGateways, calls, "DescribeVpnGateways", pod: pod, region: region)
        async let flowLogs = podList(.flowLogs, calls, "DescribeFlowLogs", pod: pod, region: region)
        async let keys = calls.contains(.keys) ? refreshKeys(pod: pod, region: region) : []
        async let referenced = calls.contains(.referencedNetworks) ? referencedNetworks(request) : []
        async let balancers = calls.contains(.loadBalancers) ? listBalancers(region: region) : ([], [:])
        async let parts = calls.contains(.balancerParts) ? taggedBalancerParts(pod: pod, region: region) : []
        async let plans = calls.contains(.backupPlans) ? JSONObjects(items: listBackupPlans(region: region)) : JSONObjects()
        async let vaults = calls.contains(.backupVaults) ? JSONObjects(items: listBackupVaults(region: region)) : JSONObjects()

        var batch = AWSRefreshBatch(pod: pod, region: region)
        batch.vpcs = try await vpcs.flatMap { $0.list("vpcSet") }
        batch.subnets = try await subnets.flatMap { $0.list("subnetSet") }
        batch.referencedNetworks = try await referenced.map { (address: $0.0, resource: $0.1) }
        batch.securityGroups = try await groups.flatMap { $0.list("securityGroupInfo") }
        batch.keys = try await keys
        batch.instances = try await instances.flatMap { $0.list("reservationSet").flatMap { $0.list("instancesSet") } }
        batch.volumes = try await volumes.flatMap { $0.list("volumeSet") }
        batch.customerGateways = try await customerGateways.flatMap { $0.list("customerGatewaySet") }
        batch.vpnConnections = try await vpns.flatMap { $0.list("vpnConnectionSet") }
        batch.vpnGateways = try await vpnGateways.flatMap { $0.list("vpnGatewaySet") }
        batch.flowLogs = try await flowLogs.flatMap { $0.list("flowLogSet") }
        (batch.balancers, batch.balancerTags) = try await balancers
        batch.balancerParts = try await parts
        batch.backupPlans = try await plans
        batch.backupVaults = try await vaults
        return batch
    }

    /// The pages of an EC2 list `action` filtered by `tag:catalyze:pod` (and `extra`); none when
    /// `call` is not in `calls`.
    func podList(
        _ call: AWSListCall, _ calls: Set<AWSListCall>, _ action: String, pod: String, region: String,
        extra: [(String, [String])] = []
    ) async throws -> [XMLNode] {
        guard calls.contains(call) else { return [] }
        return try await client.queryAll(.ec2, action, region: region, Self.filters([("tag:\(CatalyzeTag.pod)", [pod])] + extra))
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
