import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

extension AWSDriver {
    /// A pod's live resources in one region, found by the `catalyze:pod` tag with a fixed set of
    /// batched list calls (pagination aside), however many resources the pod has (`AWSListCall`):
    /// EC2 DescribeVpcs, DescribeSubnets, DescribeSecurityGroups, DescribeInstances, DescribeVolumes,
    /// DescribeVpnConnections, DescribeCustomerGateways, DescribeVpnGateways, DescribeFlowLogs,
    /// DescribeInternetGateways, DescribeRouteTables, DescribeVpcEndpoints (each filtered by
    /// `tag:catalyze:pod`); KMS ListAliases + ListResourceTags per customer alias of the region; ELBv2
    /// DescribeLoadBalancers + DescribeTags (20 ARNs per call); one Resource Groups Tagging API
    /// GetResources for the pod's certificates and target groups (those whose balancer is gone are
    /// reported too, see `balancerLeftovers`); AWS Backup ListBackupPlans and ListBackupVaults; and
    /// DescribeVpcs + DescribeSubnets per existing VPC the manifest names.
    ///
    /// `refresh` only makes those calls, all at once (`refreshBatch`; only the ones some handler of
    /// `handlers` names), and hands the results to the handlers in kind rank order. The calls a
    /// handler makes per resource found are its own: per balancer of the pod DescribeTargetGroups
    /// (plus one DescribeTargetGroups listing per region when the pod has a balancer),
    /// DescribeListeners and, for a listener's certificate, one ACM ListTagsForCertificate
    /// (`LoadBalancerHandler`); DescribeTargetHealth per target group of those balancers
    /// (`LBTargetHandler`); per backup plan of the pod GetBackupPlan and ListTags, and ListTags per
    /// vault of a plan never made (`BackupPlanHandler`); one CloudWatch Logs DescribeLogGroups per
    /// region, and ListTagsForResource per log group left without its flow log (`FlowLogHandler`).
    ///
    /// Attributes that cannot be read back and are left out: instance `vcpu`, `memory_mib` (EC2
    /// reports the instance type, kept in outputs), `ssh_ca`, `principals` (user data, one call per
    /// instance), `port`; firewall_rule `purpose`; load_balancer `certificate` (the reference; the
    /// ARN is in outputs). A vpn's `remote_cidrs` are its connection's static routes, read from the
    /// same DescribeVpnConnections reply (empty when every route was deleted: drift, see
    /// `ResourceKind.emptyMeansNone`).
    /// Terminated, shutting-down, deleting and deleted resources are not live. An existing VPC the
    /// manifest names (`request.references`) is reported under its address, untagged, while it exists.
    public func refresh(_ request: RefreshRequest) async throws -> RefreshResponse {
        let handlers = Self.handlers.values.sorted { $0.kind < $1.kind }
        let batch = try await refreshBatch(request, calls: Set(handlers.flatMap { $0.lists }))
        var live = LiveSet()
        for handler in handlers { try await handler.read(batch, into: &live, driver: self) }
        return RefreshResponse(resources: live.resources)
    }
}

/// The resources found so far in one refresh, and a map from cloud ids to their addresses.
struct LiveSet {
    var resources: [LiveResource] = []
    var addresses: [String: ResourceAddress] = [:]
    /// The target groups of the balancers read so far (`LoadBalancerHandler`), whose registered
    /// targets `LBTargetHandler` reads next.
    var targetGroups: [(balancer: ResourceAddress, arn: String, port: Int)] = []

    /// The `catalyze:address` of a tag set.
    func address(_ tags: [String: String]) -> ResourceAddress? {
        tags[CatalyzeTag.address].flatMap(ResourceAddress.init(parsing:))
    }

    mutating func add(
        _ address: ResourceAddress, _ kind: ResourceKind, _ resource: CloudResource, _ tags: [String: String], id: String,
        alias: String? = nil
    ) {
        resources.append(LiveResource(address: address, kind: kind, resource: resource, operationToken: tags[CatalyzeTag.operation]).carrying(tags))
        addresses[id] = address
        if let alias { addresses[alias] = address }
    }
}
