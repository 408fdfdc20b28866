import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// The moto, folder and fault proxy of a kill test, with `Tests/Fixtures/pods/kill-sweep-aws.yaml`
/// (pod `acme-kill`, one region: every multi-call AWS create, one app and one database instance).
struct KillWorkspace {
    let ws: EndToEndAWSTests.Workspace
    let proxy: FaultProxy
    /// The environment that sends the binary through the proxy.
    let proxied: [String: String]
    static let pod = "acme-kill"
    static let region = "us-east-1"

    static func start() async throws -> KillWorkspace {
        let ws = try await EndToEndAWSTests.workspace(regions: [region])
        try FileManager.default.removeItem(atPath: ws.folder.path("pod.yaml"))
        try FileManager.default.copyItem(
            atPath: repositoryRoot.appendingPathComponent("Tests/Fixtures/pods/kill-sweep-aws.yaml").path, toPath: ws.folder.path("pod.yaml"))
        let proxy = try await FaultProxy.start(upstream: ws.moto.url)
        var proxied = ws.environment
        proxied["AWS_ENDPOINT_URL"] = proxy.url.absoluteString
        return KillWorkspace(ws: ws, proxy: proxy, proxied: proxied)
    }

    func stop() {
        proxy.stop()
        ws.moto.stop()
        ws.folder.remove()
    }

    /// After a kill: drops what the proxy holds, and lets the calls it had already passed on land in
    /// moto (they do, after the process died, as in a real network) before the next run refreshes.
    func settle() async throws {
        try await proxy.release()
        try await Task.sleep(for: .milliseconds(500))
    }

    var store: FileStateStore { FileStateStore(path: ws.folder.path("catalyze.lock.json")) }

    /// The binary run straight against moto.
    var direct: PlanSteps { PlanSteps(folder: ws.folder.url, environment: ws.environment) }
    /// The binary run through the proxy.
    var throughProxy: PlanSteps { PlanSteps(folder: ws.folder.url, environment: proxied) }

    /// What the pod owns in moto, asked directly (not through catalyze's refresh), per kind: every
    /// part of a multi-call resource counted on its own, so a half-made leftover or a duplicate
    /// part shows. Deleted and deleting things do not count.
    func cloudParts() async throws -> [String: Int] {
        let client = try EndToEndAWSTests.backupClient(ws)
        let region = Self.region
        let tagged = ["Filter.1.Name": "tag:\(CatalyzeTag.pod)", "Filter.1.Value.1": Self.pod]
        var counts: [String: Int] = [:]
        func alive(_ item: XMLNode) -> Bool { !["deleted", "deleting", "detached"].contains(item.string("state") ?? "") }
        counts["vpn_gateway"] = try await client.query(.ec2, "DescribeVpnGateways", region: region, tagged).list("vpnGatewaySet").filter(alive).count
        counts["customer_gateway"] = try await client.query(.ec2, "DescribeCustomerGateways", region: region, tagged)
            .list("customerGatewaySet").filter(alive).count
        counts["vpn_connection"] = try await client.query(.ec2, "DescribeVpnConnections", region: region, tagged)
            .list("vpnConnectionSet").filter(alive).count
        let balancers = try await client.queryAll(.elbv2, "DescribeLoadBalancers", region: region)
            .flatMap { $0.list("DescribeLoadBalancersResult", "LoadBalancers") }.compactMap { $0.string("LoadBalancerArn") }
        var ours = 0
        for arn in balancers {
            let tags = try await client.query(.elbv2, "DescribeTags", region: region, ["ResourceArns.member.1": arn])
                .list("DescribeTagsResult", "TagDescriptions").first?.tags ?? [:]
            if tags[CatalyzeTag.pod] == Self.pod { ours += 1 }
        }
        counts["load_balancer"] = ours
        counts["target_group"] = try await client.queryAll(.elbv2, "DescribeTargetGroups", region: region)
            .flatMap { $0.list("DescribeTargetGroupsResult", "TargetGroups") }
            .filter { ($0.string("TargetGroupName") ?? "").hasPrefix("cz-\(Self.pod)") }.count
        let certificates = try await client.json(.acm, "ListCertificates", region: region)["CertificateSummaryList"] as? [[String: Any]] ?? []
        counts["certificate"] = certificates.count
        let vaults = try await client.rest(.backup, "ListBackupVaults", method: "GET", path: "/backup-vaults/", region: region)
        counts["backup_vault"] = (vaults["BackupVaultList"] as? [[String: Any]] ?? [])
            .filter { ($0["BackupVaultName"] as? String)?.hasPrefix("cz_\(Self.pod)_") == true }.count
        let plans = try await client.rest(.backup, "ListBackupPlans", method: "GET", path: "/backup/plans/", region: region)
        counts["backup_plan"] = (plans["BackupPlansList"] as? [[String: Any]] ?? [])
            .filter { ($0["BackupPlanName"] as? String)?.hasPrefix("cz_\(Self.pod)_") == true && $0["DeletionDate"] == nil }.count
        for (address, count) in try await EndToEndAWSTests.copiesPerAddress(ws, pod: Self.pod, regions: [region]) {
            counts[address] = count
        }
        return counts.filter { $0.value != 0 }
    }

    /// The parts of the converged pod: exactly one of each.
    static let converged: Set<String> = [
        "vpn_gateway", "customer_gateway", "vpn_connection", "load_balancer", "target_group", "certificate", "backup_vault",
        "backup_plan",
    ]

    /// After an apply that must have finished the pod: the apply succeeded, the next plan is clean,
    /// the journal is empty, and moto holds one of every part, one instance, VPC, group and volume
    /// per address. `label` says which run this is in a failure.
    func expectConverged(_ label: String) async throws {
        let applied = try await direct.catalyze("apply", "--auto-approve")
        #expect(applied.status == 0, "\(label): the resuming apply failed:\n\(applied.stdout)\n\(applied.stderr)")
        let plan = try await direct.catalyze("plan", "--detailed-exitcode")
        #expect(plan.status == 0, "\(label): not converged:\n\(plan.stdout)\n\(plan.stderr)")
        let lockfile = try #require(try store.load(), "\(label): the lockfile parses")
        #expect(lockfile.journal.isEmpty, "\(label): nothing left pending")
        let parts = try await cloudParts()
        #expect(parts.values.allSatisfy { $0 == 1 }, "\(label): one cloud resource per part and address: \(parts)")
        #expect(Self.converged.isSubset(of: Set(parts.keys)), "\(label): every part made: \(parts)")
    }

    /// `destroy` must succeed and leave nothing of the pod in moto.
    func expectDestroyed(_ label: String) async throws {
        let destroyed = try await direct.catalyze("destroy", "--auto-approve", "--force-destroy-data")
        #expect(destroyed.status == 0, "\(label): destroy failed:\n\(destroyed.stdout)\n\(destroyed.stderr)")
        let parts = try await cloudParts()
        #expect(parts.isEmpty, "\(label): left in moto after destroy: \(parts)")
        #expect(try store.load()?.resources.isEmpty == true, "\(label): the lockfile records nothing")
    }
}
