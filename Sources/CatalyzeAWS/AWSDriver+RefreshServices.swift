import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

extension AWSDriver {
    /// The pod's KMS keys: aliases not managed by AWS (`alias/aws/…`), filtered by their key's tags.
    func refreshKeys(pod: String, region: String) async throws -> [(address: ResourceAddress, resource: CloudResource, tags: [String: String])] {
        var result: [(ResourceAddress, CloudResource, [String: String])] = []
        for alias in try await listAliases(region: region) where !alias.name.hasPrefix("alias/aws/") {
            let tags: [String: String]
            do { tags = try await keyTags(alias.keyID, region: region) } catch let error as DriverError where error.isNotFound { continue }
            guard tags[CatalyzeTag.pod] == pod, let address = tags[CatalyzeTag.address].flatMap(ResourceAddress.init(parsing:)) else { continue }
            var attributes = ["alias": String(alias.name.dropFirst(6))]
            let adopted = tags["catalyze:adopted"] == "true"
            if adopted { attributes["customer_key"] = alias.keyID }
            let resource = CloudResource(
                cloudID: alias.keyID, attributes: attributes, outputs: ["key_id": alias.keyID, "adopted": adopted ? "true" : "false"])
            result.append((address, resource, tags))
        }
        return result
    }

    /// The pod's load balancers, with their target groups, listeners and registered targets.
    ///
    /// A balancer can be half-made: `apply` killed between CreateLoadBalancer and its listeners
    /// leaves a balancer with no listener, and target groups (made before the listeners) that no
    /// listener forwards to, so `DescribeTargetGroups` by balancer finds none (moto answers
    /// `TargetGroupNotFound`). Such a balancer is reported as it is (no listeners), and its target
    /// groups are found by name (`elbName` of the balancer's `catalyze:op` token, one
    /// DescribeTargetGroups listing per region, only when the pod has a balancer), so the resumed
    /// create finishes it and a delete removes them too. An error reading one balancer names its address.
    /// Target groups and certificates tagged for the pod whose balancer is gone are reported under
    /// its address with an empty cloud id (one GetResources listing, see `balancerLeftovers`).
    func refreshBalancers(pod: String, region: String, instances: [XMLNode], live: inout LiveSet) async throws {
        async let tagged = taggedBalancerParts(pod: pod, region: region)
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
        let parts = try await tagged
        var allGroups: [XMLNode]?
        for balancer in balancers {
            guard let arn = balancer.string("LoadBalancerArn"), let tags = tagsByARN[arn], tags[CatalyzeTag.pod] == pod,
                  let address = live.address(tags)
            else { continue }
            do {
                if allGroups == nil {
                    allGroups = try await client.queryAll(.elbv2, "DescribeTargetGroups", region: region)
                        .flatMap { $0.list("DescribeTargetGroupsResult", "TargetGroups") }
                }
                try await refreshBalancer(
                    balancer, arn: arn, tags: tags, address: address, pod: pod, region: region, allGroups: allGroups ?? [],
                    certificates: parts.filter(\.isCertificate), instances: instances, live: &live)
            } catch let error as DriverError {
                throw error.about(address)
            }
        }
        live.resources += Self.balancerLeftovers(parts, live: live.resources)
    }

    /// One balancer of the pod (see `refreshBalancers`).
    func refreshBalancer(
        _ balancer: XMLNode, arn: String, tags: [String: String], address: ResourceAddress, pod: String, region: String,
        allGroups: [XMLNode], certificates: [TaggedBalancerPart], instances: [XMLNode], live: inout LiveSet
    ) async throws {
        var groups: [XMLNode]
        do {
            let groupReply = try await client.query(.elbv2, "DescribeTargetGroups", region: region, ["LoadBalancerArn": arn])
            groups = groupReply.list("DescribeTargetGroupsResult", "TargetGroups")
        } catch let error as DriverError where error.awsCode == "TargetGroupNotFound" {
            groups = []  // no listener forwards to a group yet: half-made
        }
        // Groups this balancer's create made that no listener uses yet (named after its token).
        if let token = tags[CatalyzeTag.operation] {
            let attached = Set(groups.compactMap { $0.string("TargetGroupArn") })
            for group in allGroups {
                guard let name = group.string("TargetGroupName"), let groupARN = group.string("TargetGroupArn"),
                      !attached.contains(groupARN), let port = group.string("Port")
                else { continue }
                if name == Self.elbName(pod: pod, name: address.name, token: token, suffix: "-\(port)") { groups.append(group) }
            }
        }
        var portOfGroup: [String: Int] = [:]
        for group in groups {
            if let groupARN = group.string("TargetGroupArn"), let port = group.string("Port").flatMap(Int.init) { portOfGroup[groupARN] = port }
        }
        let listenerReply = try await client.query(.elbv2, "DescribeListeners", region: region, ["LoadBalancerArn": arn])
        let listeners = listenerReply.list("DescribeListenersResult", "Listeners")
        let found = listeners.compactMap { listener -> ListenerSpec? in
            guard let port = listener.string("Port").flatMap(Int.init), let proto = listener.string("Protocol") else { return nil }
            let target = listener.list("DefaultActions").compactMap { $0.string("TargetGroupArn") }.compactMap { portOfGroup[$0] }.first ?? port
            return ListenerSpec.readBack(proto: proto, port: port, targetPort: target, passthroughPorts: tags[ListenerSpec.passthroughTag])
        }
        var attributes = [
            "type": balancer.string("Type") ?? "", "scheme": balancer.string("Scheme") ?? "",
            "listeners": ListenerSpec.canonical(found.sorted()),
        ]
        attributes["network"] = balancer.string("VpcId").flatMap { live.addresses[$0]?.description }
        attributes["firewall"] = balancer.list("SecurityGroups").compactMap { live.addresses[$0.text]?.description }.first
        if let group = groups.first, let proto = group.string("HealthCheckProtocol") {
            attributes["health_check"] = "\(proto.lowercased()):\(group.string("HealthCheckPath") ?? ""):\(group.string("HealthCheckPort") ?? "")"
        }
        var outputs = [
            "dns_name": balancer.string("DNSName") ?? "",
            "target_groups": portOfGroup.map { ($0.value, $0.key) }.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: ";"),
        ]
        if let certificate = listeners.flatMap({ $0.list("Certificates") }).compactMap({ $0.string("CertificateArn") }).first {
            outputs["certificate_arn"] = certificate
            let reply = try? await client.json(.acm, "ListTagsForCertificate", region: region, ["CertificateArn": certificate])
            let certificateTags = (reply?["Tags"] as? [[String: Any]] ?? []).compactMap { $0["Key"] as? String }
            outputs["imported_certificate"] = certificateTags.contains(CatalyzeTag.pod) ? "true" : "false"
        } else if listeners.isEmpty, let token = tags[CatalyzeTag.operation],
                  let certificate = certificates.first(where: { $0.tags[CatalyzeTag.operation] == token })?.arn {
            // Half-made: killed between ImportCertificate and CreateListener. The certificate its
            // create imported is reported as the balancer's, so that a delete (a destroy, or an
            // unmanaged balancer's) removes it too: the delete's own token (`…-d`) cannot find it.
            // Found by the kill loop, CATALYZE_KILL_SEED=7: a destroy after such a kill left it.
            outputs["certificate_arn"] = certificate
            outputs["imported_certificate"] = "true"
        }
        live.add(address, .loadBalancer, CloudResource(cloudID: arn, attributes: attributes, outputs: outputs), tags, id: arn)

        // Targets: instances tagged by an lb_target and really registered in one of the groups.
        for (groupARN, port) in portOfGroup.sorted(by: { $0.key < $1.key }) {
            let health = try await client.query(.elbv2, "DescribeTargetHealth", region: region, ["TargetGroupArn": groupARN])
            for description in health.list("DescribeTargetHealthResult", "TargetHealthDescriptions") {
                guard let id = description.string("Target", "Id"),
                      let instance = instances.first(where: { $0.string("instanceId") == id }),
                      let targetAddress = instance.tags[CatalyzeTag.lbTarget].flatMap(ResourceAddress.init(parsing:))
                else { continue }
                let targetPort = description.string("Target", "Port") ?? String(port)
                var attributes = ["load_balancer": address.description, "port": targetPort]
                attributes["instance"] = live.addresses[id]?.description
                live.resources.append(LiveResource(
                    address: targetAddress, kind: .lbTarget,
                    resource: CloudResource(cloudID: "\(groupARN)|\(id)|\(targetPort)", attributes: attributes, outputs: ["target_group_arn": groupARN]),
                    operationToken: instance.tags[CatalyzeTag.lbTargetOperation], lineage: instance.tags[CatalyzeTag.lineage]))
            }
        }
    }
}
