import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// flow_log: a VPC flow log of all the pod network's traffic, delivered to a CloudWatch Logs group
/// encrypted with the pod's KMS key and kept `retention_days`, through an IAM role only the VPC
/// Flow Logs service may assume and that may only write to that group.
///
/// Made of three objects, made in this order and removed in the reverse one: the log group
/// `/catalyze/<pod>/<region>/flow-logs` (CreateLogGroup with `kmsKeyId`, PutRetentionPolicy), the
/// role `catalyze-flow-logs-<hash>` (IAM CreateRole, PutRolePolicy) and the flow log itself
/// (EC2 CreateFlowLogs, tagged like every create; `ClientToken` is the request token). A create
/// killed part-way is finished by the next apply: the group and role are looked up by name, the
/// flow log by its `catalyze:op` tag. Only `retention_days` changes in place.
///
/// EC2 API reference, CreateFlowLogs: `cloud-watch-logs` needs `LogGroupName` and
/// `DeliverLogsPermissionArn`; CloudWatch Logs API reference, CreateLogGroup: `kmsKeyId` is a key
/// ARN whose key policy lets `logs.<region>.amazonaws.com` use it (moto checks neither the ARN's
/// policy nor the role's trust: the driver sends what AWS requires).
///
/// Read back from the batch's EC2 DescribeFlowLogs (tag filter) and one CloudWatch Logs
/// DescribeLogGroups (the pod's name prefix) per region; a group no flow log delivers to (a create
/// killed part-way) is reported under its tags' address with an empty cloud id. cloudID = flow log id; outputs
/// `log_group`, `role_name`, `role_arn`, `kms_key_id`.
struct FlowLogHandler: EC2TaggedHandler {
    var kind: ResourceKind { .flowLog }
    var lists: Set<AWSListCall> { [.ec2(.flowLogs)] }

    func apply(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource? {
        switch request.operation {
        case .create: try await create(request, driver: driver)
        case .update: try await update(request, driver: driver)
        case .delete: try await delete(request, driver: driver)
        }
    }

    func read(_ batch: AWSRefreshBatch, into live: inout LiveSet, driver: AWSDriver) async throws {
        let flowLogs = batch[.flowLogs].filter { AWSDriver.state(of: $0) != "DELETED" }
        // The groups' keys and retention: one listing of the pod's groups per region, made even when
        // the pod has no flow log, because a group without one is what a create killed before
        // CreateFlowLogs leaves (below).
        let groups = try await logGroups(prefix: Self.groupPrefix(pod: batch.pod), region: batch.region, driver: driver)
        var delivering: Set<String> = []
        for flowLog in flowLogs {
            guard let id = flowLog.string("flowLogId"), let address = live.address(flowLog.tags) else { continue }
            let groupName = flowLog.string("logGroupName") ?? ""
            delivering.insert(groupName)
            let group = groups[groupName]
            var attributes = ["traffic": flowLog.string("trafficType") ?? ""]
            attributes["network"] = flowLog.string("resourceId").flatMap { live.addresses[$0]?.description }
            if let days = group?["retentionInDays"] as? Int { attributes["retention_days"] = "\(days)" }
            let kms = group?["kmsKeyId"] as? String ?? ""
            attributes["key"] = (live.addresses[kms] ?? live.addresses[String(kms.split(separator: "/").last ?? "")])?.description
            let roleARN = flowLog.string("deliverLogsPermissionArn") ?? ""
            let outputs = [
                "log_group": groupName, "role_arn": roleARN, "role_name": String(roleARN.split(separator: "/").last ?? ""),
                "kms_key_id": kms,
            ]
            live.add(address, .flowLog, CloudResource(cloudID: id, attributes: attributes, outputs: outputs), flowLog.tags, id: id)
        }
        // A group no flow log delivers to: a create killed after its group (and perhaps its role)
        // but before CreateFlowLogs. Reported under the address its tags name with an empty cloud
        // id, as a balancer's leftover parts are, so that the next apply finishes the create and a
        // destroy deletes the group and role instead of leaving them behind. Its tags: one
        // ListTagsForResource per such group (none in the usual case).
        for (name, group) in groups.sorted(by: { $0.key < $1.key }) where !delivering.contains(name) {
            guard let arn = group["logGroupArn"] as? String else { continue }
            let reply = try await driver.client.json(.logs, "ListTagsForResource", region: batch.region, ["resourceArn": arn])
            let tags = reply["tags"] as? [String: String] ?? [:]
            guard tags[CatalyzeTag.pod] == batch.pod, let address = live.address(tags), address.kind == .flowLog else { continue }
            let outputs = [
                "log_group": name, "role_name": Self.roleName(pod: batch.pod, region: address.region),
                "kms_key_id": group["kmsKeyId"] as? String ?? "",
            ]
            live.add(address, .flowLog, CloudResource(cloudID: "", attributes: [:], outputs: outputs), tags, id: name)
        }
    }

    func ec2Objects(_ resource: CloudResource) -> [String] { [resource.cloudID].filter { !$0.isEmpty } }

    // MARK: names

    /// `/catalyze/<pod>/`: every flow-log group of the pod starts so.
    static func groupPrefix(pod: String) -> String { "/catalyze/\(pod)/" }

    /// The log group of one region's flow log.
    static func groupName(_ request: ApplyRequest) -> String {
        groupPrefix(pod: request.pod) + "\(request.spec.address.region)/flow-logs"
    }

    /// The role's name: IAM is global and names are at most 64 characters, so the pod and region
    /// are hashed (`catalyze-flow-logs-` + 24 hex digits).
    static func roleName(_ request: ApplyRequest) -> String { roleName(pod: request.pod, region: request.spec.address.region) }

    /// The role's name for the flow log of `pod` in its manifest region `region`.
    static func roleName(pod: String, region: String) -> String {
        let digest = SigV4Signer.hexSHA256(Data("\(pod)/\(region)".utf8))
        return "catalyze-flow-logs-" + digest.prefix(24)
    }

    // MARK: create, update, delete

    private func create(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource {
        let spec = try AWSDriver.typed(FlowLogSpec.self, request)
        let region = request.spec.cloudRegion
        let vpc = try request.dependency(at: spec.network).cloudID
        var keyARN: String?
        if let key = spec.key {
            guard let resource = request.dependencies[key] else {
                throw DriverError.missingDependency(address: request.spec.address, dependency: key)
            }
            keyARN = resource.outputs["arn"].flatMap { $0.isEmpty ? nil : $0 } ?? resource.cloudID
        }
        let group = Self.groupName(request)
        try await ensureLogGroup(group, keyARN: keyARN, retentionDays: spec.retentionDays, request: request, driver: driver)
        let role = try await ensureRole(Self.roleName(request), group: group, request: request, driver: driver)
        let flowLog = try await driver.createOnce(
            firstUse: request.firstUse,
            lookup: {
                try await driver.findByOperation("DescribeFlowLogs", "flowLogSet", "flowLogId", request).map { CloudResource(cloudID: $0) }
            },
            create: {
                var parameters = AWSDriver.tagSpecification(request, resourceType: "vpc-flow-log")
                parameters["ResourceId.1"] = vpc
                parameters["ResourceType"] = "VPC"
                parameters["TrafficType"] = spec.traffic
                parameters["LogDestinationType"] = "cloud-watch-logs"
                parameters["LogGroupName"] = group
                parameters["DeliverLogsPermissionArn"] = role
                parameters["ClientToken"] = AWSDriver.clientToken(request.token)
                let reply = try await driver.client.query(.ec2, "CreateFlowLogs", region: region, parameters, idempotent: false)
                let unsuccessful = reply.list("unsuccessful")
                if let failure = unsuccessful.first {
                    throw DriverError.invalidSpec(
                        address: request.spec.address,
                        reason: "CreateFlowLogs refused \(vpc): \(failure.string("error", "message") ?? "no reason given")")
                }
                return CloudResource(cloudID: reply.list("flowLogIdSet").first?.text ?? reply.string("flowLogIdSet", "item") ?? "")
            })
        var attributes = spec.attributes
        attributes["network"] = spec.network.description
        return CloudResource(
            cloudID: flowLog.cloudID, attributes: attributes,
            outputs: ["log_group": group, "role_arn": role, "role_name": Self.roleName(request), "kms_key_id": keyARN ?? ""])
    }

    private func update(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource {
        let spec = try AWSDriver.typed(FlowLogSpec.self, request)
        guard let prior = request.prior else { throw DriverError.invalidSpec(address: request.spec.address, reason: "no recorded flow log to update") }
        let group = prior.outputs["log_group"] ?? Self.groupName(request)
        _ = try await driver.client.json(
            .logs, "PutRetentionPolicy", region: request.spec.cloudRegion,
            ["logGroupName": group, "retentionInDays": spec.retentionDays])
        return CloudResource(cloudID: prior.cloudID, attributes: spec.attributes, outputs: prior.outputs)
    }

    private func delete(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        guard let prior = request.prior else { return nil }
        if !prior.cloudID.isEmpty {
            // AWS reports an unknown id in the reply's `unsuccessful` list, moto as an error: gone either way.
            do {
                _ = try await driver.client.query(.ec2, "DeleteFlowLogs", region: region, ["FlowLogId.1": prior.cloudID])
            } catch let error as DriverError where error.awsCode == "InvalidFlowLogId.NotFound" {}
        }
        let group = prior.outputs["log_group"] ?? Self.groupName(request)
        do {
            _ = try await driver.client.json(.logs, "DeleteLogGroup", region: region, ["logGroupName": group])
        } catch let error as DriverError where error.awsCode == "ResourceNotFoundException" {}
        let role = prior.outputs["role_name"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.roleName(request)
        for (action, parameters) in [
            ("DeleteRolePolicy", ["RoleName": role, "PolicyName": "flow-logs"]), ("DeleteRole", ["RoleName": role]),
        ] {
            do {
                _ = try await driver.client.query(.iam, action, region: "us-east-1", parameters)
            } catch let error as DriverError where error.awsCode == "NoSuchEntity" {}
        }
        return nil
    }

    // MARK: parts

    /// The log group, encrypted with `keyARN`, keeping records `retentionDays`; an existing one
    /// (an earlier attempt of this create) is kept.
    private func ensureLogGroup(
        _ group: String, keyARN: String?, retentionDays: Int, request: ApplyRequest, driver: AWSDriver
    ) async throws {
        let region = request.spec.cloudRegion
        // Tagged like every create (pod, address, lineage, operation): refresh finds a group left
        // without its flow log by these tags.
        var payload: [String: Any] = [
            "logGroupName": group, "tags": Dictionary(uniqueKeysWithValues: AWSDriver.tags(request)),
        ]
        if let keyARN { payload["kmsKeyId"] = keyARN }
        do {
            _ = try await driver.client.json(.logs, "CreateLogGroup", region: region, payload, idempotent: false)
        } catch let error as DriverError where error.awsCode == "ResourceAlreadyExistsException" {}
        _ = try await driver.client.json(
            .logs, "PutRetentionPolicy", region: region, ["logGroupName": group, "retentionInDays": retentionDays])
    }

    /// The delivery role: assumable only by `vpc-flow-logs.amazonaws.com`, allowed only to write
    /// to `group`. Returns its ARN.
    private func ensureRole(_ name: String, group: String, request: ApplyRequest, driver: AWSDriver) async throws -> String {
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        var arn: String
        do {
            let reply = try await driver.client.query(.iam, "CreateRole", region: "us-east-1", [
                "RoleName": name, "AssumeRolePolicyDocument": trust,
                "Tags.member.1.Key": CatalyzeTag.pod, "Tags.member.1.Value": request.pod,
                "Tags.member.2.Key": CatalyzeTag.address, "Tags.member.2.Value": request.spec.address.description,
            ])
            arn = reply.descendants("Arn").first?.text ?? ""
        } catch let error as DriverError where error.awsCode == "EntityAlreadyExists" {
            let reply = try await driver.client.query(.iam, "GetRole", region: "us-east-1", ["RoleName": name])
            arn = reply.descendants("Arn").first?.text ?? ""
        }
        let resource = "arn:aws:logs:\(request.spec.cloudRegion):*:log-group:\(group):*"
        let policy = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents","logs:DescribeLogGroups","logs:DescribeLogStreams"],"Resource":"\(resource)"}]}
            """
        _ = try await driver.client.query(.iam, "PutRolePolicy", region: "us-east-1", [
            "RoleName": name, "PolicyName": "flow-logs", "PolicyDocument": policy,
        ])
        return arn
    }

    /// The pod's log groups in `region`, by name (DescribeLogGroups by prefix, every page).
    private func logGroups(prefix: String, region: String, driver: AWSDriver) async throws -> [String: [String: Any]] {
        var groups: [String: [String: Any]] = [:]
        var token: String?
        repeat {
            var payload: [String: Any] = ["logGroupNamePrefix": prefix]
            if let token { payload["nextToken"] = token }
            let reply = try await driver.client.json(.logs, "DescribeLogGroups", region: region, payload)
            for group in reply["logGroups"] as? [[String: Any]] ?? [] {
                if let name = group["logGroupName"] as? String { groups[name] = group }
            }
            token = reply["nextToken"] as? String
        } while token != nil
        return groups
    }
}

extension EC2PodList {
    /// DescribeFlowLogs of the pod (deleted ones included): `FlowLogHandler`'s list.
    static let flowLogs = EC2PodList("DescribeFlowLogs", items: "flowLogSet")
}
