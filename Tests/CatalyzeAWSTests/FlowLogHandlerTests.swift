@testable import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Foundation
import Testing

/// The `flow_log` kind's conformance case, against moto: made, read back as planned, changed in
/// place, resumed after a create killed part-way, tagged, and removed with every part it is made of.
@Suite struct FlowLogHandlerTests {
    static let region = "us-east-1"

    /// A network and a key, recorded as the executor would hand them to the flow log.
    static func dependencies(_ moto: MotoFixture, pod: String) async throws -> [ResourceAddress: CloudResource] {
        var recorded: [ResourceAddress: CloudResource] = [:]
        let network = moto.spec(.network, "main", NetworkSpec(.made(cidr: "10.80.0.0/16", subnetCIDR: "10.80.0.0/24", zone: "us-east-1a")).attributes)
        recorded[network.address] = try await moto.apply(.create, network, pod: pod, token: "\(pod)-net", firstUse: true)
        let key = moto.spec(.key, "storage", KeySpec(alias: "catalyze/\(pod)/primary").attributes)
        recorded[key.address] = try await moto.apply(.create, key, pod: pod, token: "\(pod)-key", firstUse: true)
        return recorded
    }

    static func flowLog(_ moto: MotoFixture, retention: Int = 365) -> ResourceSpec {
        moto.spec(.flowLog, "main", FlowLogSpec(
            network: ResourceAddress(parsing: "primary/network.main")!, key: ResourceAddress(parsing: "primary/key.storage")!,
            retentionDays: retention).attributes)
    }

    @Test func aFlowLogIsMadeReadBackChangedInPlaceAndRemovedWithItsParts() async throws {
        let moto = try MotoFixture()
        let pod = "flow"
        let recorded = try await Self.dependencies(moto, pod: pod)
        let spec = Self.flowLog(moto)
        let made = try #require(try await moto.apply(.create, spec, pod: pod, token: "t-flow", dependencies: recorded, firstUse: true))
        let client = moto.driver.client

        // What AWS has: the flow log on the VPC, into the group, through the role; the group
        // encrypted with the pod's key and kept as asked; the role only for the flow-logs service.
        let flowLogs = try await client.query(.ec2, "DescribeFlowLogs", region: Self.region, ["FlowLogId.1": made.cloudID]).list("flowLogSet")
        let flowLog = try #require(flowLogs.first)
        #expect(flowLog.string("resourceId") == recorded[ResourceAddress(parsing: "primary/network.main")!]?.cloudID)
        #expect(flowLog.string("trafficType") == "ALL" && flowLog.string("logDestinationType") == "cloud-watch-logs")
        #expect(flowLog.string("logGroupName") == "/catalyze/flow/primary/flow-logs")
        #expect(flowLog.tags[CatalyzeTag.address] == "primary/flow_log.main" && flowLog.tags[CatalyzeTag.operation] == "t-flow")
        let group = try #require((try await client.json(.logs, "DescribeLogGroups", region: Self.region, ["logGroupNamePrefix": "/catalyze/flow/"])["logGroups"] as? [[String: Any]])?.first)
        let keyARN = try #require(recorded[ResourceAddress(parsing: "primary/key.storage")!]?.outputs["arn"])
        #expect(group["kmsKeyId"] as? String == keyARN, "encrypted with the pod's key, by ARN")
        #expect(group["retentionInDays"] as? Int == 365)
        let roleName = try #require(made.outputs["role_name"])
        #expect(roleName.count <= 64)
        let role = try await client.query(.iam, "GetRole", region: "us-east-1", ["RoleName": roleName])
        let trust = role.descendants("AssumeRolePolicyDocument").first?.text.removingPercentEncoding ?? ""
        #expect(trust.contains("vpc-flow-logs.amazonaws.com"), "only the flow-logs service may assume it: \(trust)")
        let policy = try await client.query(.iam, "GetRolePolicy", region: "us-east-1", ["RoleName": roleName, "PolicyName": "flow-logs"])
        let document = policy.descendants("PolicyDocument").first?.text.removingPercentEncoding ?? ""
        #expect(document.contains("log-group:/catalyze/flow/primary/flow-logs:*") && !document.contains("\"Resource\":\"*\""),
                "it may write only to its group: \(document)")

        // Read back exactly as planned: a second plan is clean.
        var live = try await moto.driver.refresh(RefreshRequest(pod: pod, region: Self.region)).resources
        let found = try #require(live.first { $0.address == spec.address })
        #expect(found.resource.attributes == spec.attributes)
        #expect(found.operationToken == "t-flow")

        // A create killed part-way (say after the group and role) is finished, not doubled.
        let again = try #require(try await moto.apply(.create, spec, pod: pod, token: "t-flow", dependencies: recorded))
        #expect(again.cloudID == made.cloudID)

        // Retention changes in place.
        let longer = Self.flowLog(moto, retention: 731)
        let updated = try #require(try await moto.apply(.update, longer, pod: pod, token: "t-flow-2", prior: made, dependencies: recorded))
        #expect(updated.cloudID == made.cloudID)
        live = try await moto.driver.refresh(RefreshRequest(pod: pod, region: Self.region)).resources
        #expect(live.first { $0.address == spec.address }?.resource.attributes["retention_days"] == "731")

        // Tagged in place (the lineage an import or an older release's resource gets).
        let tagged = try await moto.driver.tag(TagRequest(
            pod: pod, region: Self.region, address: spec.address, kind: .flowLog, resource: made, set: [CatalyzeTag.lineage: "L-1"]))
        #expect(tagged.objects == 1)
        live = try await moto.driver.refresh(RefreshRequest(pod: pod, region: Self.region)).resources
        #expect(live.first { $0.address == spec.address }?.lineage == "L-1")

        // Deleting removes the flow log, its group and its role; deleting again succeeds.
        _ = try await moto.apply(.delete, longer, pod: pod, token: "d-flow", prior: updated)
        _ = try await moto.apply(.delete, longer, pod: pod, token: "d-flow-2", prior: updated)
        live = try await moto.driver.refresh(RefreshRequest(pod: pod, region: Self.region)).resources
        #expect(!live.contains { $0.kind == .flowLog })
        let groups = try await client.json(.logs, "DescribeLogGroups", region: Self.region, ["logGroupNamePrefix": "/catalyze/flow/"])
        #expect((groups["logGroups"] as? [[String: Any]] ?? []).isEmpty)
        await #expect(throws: DriverError.self) {
            _ = try await client.query(.iam, "GetRole", region: "us-east-1", ["RoleName": roleName])
        }
    }

    /// A create killed after its group and role but before CreateFlowLogs leaves two objects no
    /// flow log points at. Refresh reports them under the flow log's address with an empty cloud id
    /// (its tags say which), so a destroy deletes them and an apply finishes the create.
    @Test func aCreateKilledBeforeItsFlowLogLeavesNothingBehind() async throws {
        let moto = try MotoFixture()
        let pod = "flowkill"
        let recorded = try await Self.dependencies(moto, pod: pod)
        let spec = Self.flowLog(moto)
        let made = try #require(try await moto.apply(.create, spec, pod: pod, token: "t-kill", dependencies: recorded, firstUse: true))
        let client = moto.driver.client
        // The state the kill leaves: the group and the role, no flow log.
        _ = try await client.query(.ec2, "DeleteFlowLogs", region: Self.region, ["FlowLogId.1": made.cloudID])
        var live = try await moto.driver.refresh(RefreshRequest(pod: pod, region: Self.region)).resources
        let half = try #require(live.first { $0.address == spec.address })
        #expect(half.resource.cloudID.isEmpty && half.operationToken == "t-kill")
        #expect(half.resource.outputs["log_group"] == "/catalyze/flowkill/primary/flow-logs")
        #expect(half.resource.outputs["role_name"] == made.outputs["role_name"])

        // An apply resumes the create: the group and role are reused, the flow log made.
        let finished = try #require(try await moto.apply(.create, spec, pod: pod, token: "t-kill", dependencies: recorded))
        #expect(!finished.cloudID.isEmpty && finished.cloudID != made.cloudID)
        _ = try await client.query(.ec2, "DeleteFlowLogs", region: Self.region, ["FlowLogId.1": finished.cloudID])

        // A destroy deletes what the refresh reported: the group and the role go.
        _ = try await moto.apply(.delete, spec, pod: pod, token: "d-kill", prior: half.resource)
        live = try await moto.driver.refresh(RefreshRequest(pod: pod, region: Self.region)).resources
        #expect(!live.contains { $0.kind == .flowLog })
        let groups = try await client.json(.logs, "DescribeLogGroups", region: Self.region, ["logGroupNamePrefix": "/catalyze/flowkill/"])
        #expect((groups["logGroups"] as? [[String: Any]] ?? []).isEmpty)
        let roleName = try #require(made.outputs["role_name"])
        await #expect(throws: DriverError.self) {
            _ = try await client.query(.iam, "GetRole", region: "us-east-1", ["RoleName": roleName])
        }
    }

    @Test func aSpecThatDoesNotDecodeIsRefusedNamingTheAttribute() async throws {
        let moto = try MotoFixture()
        var spec = Self.flowLog(moto)
        spec.attributes["retention_days"] = "10"
        await #expect(throws: DriverError.invalidSpec(
            address: spec.address,
            reason: "malformed primary/flow_log.main attribute 'retention_days' '10' (want a period CloudWatch Logs offers)")) {
            _ = try await moto.apply(.create, spec, pod: "flow-bad", token: "t", firstUse: true)
        }
    }

    @Test func rackspaceOffersNoFlowLogs() {
        #expect(ResourceKind.flowLog.isOffered(by: .aws) && !ResourceKind.flowLog.isOffered(by: .rax))
        #expect(FlowLogSpec.retentionDays(atLeast: 90 * 86_400) == 90)
        #expect(FlowLogSpec.retentionDays(atLeast: 91 * 86_400) == 120)
        #expect(FlowLogSpec.retentionDays(atLeast: 40 * 365 * 86_400) == 3653)
    }
}
