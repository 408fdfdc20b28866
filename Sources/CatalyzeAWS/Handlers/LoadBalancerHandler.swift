import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// load_balancer: an ALB or NLB with its target groups and listeners (see
/// `AWSDriver.applyLoadBalancer`); tagged with ELBv2 AddTags / RemoveTags on the balancer and its
/// target groups (one call).
struct LoadBalancerHandler: AWSResourceHandler {
    var kind: ResourceKind { .loadBalancer }
    var lists: Set<AWSListCall> { [.loadBalancers, .balancerParts] }

    func apply(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource? {
        try await driver.applyLoadBalancer(request)
    }

    /// The pod's load balancers, with their target groups and listeners (their registered targets
    /// are `LBTargetHandler`'s).
    ///
    /// A balancer can be half-made: `apply` killed between CreateLoadBalancer and its listeners
    /// leaves a balancer with no listener, and target groups (made before the listeners) that no
    /// listener forwards to, so `DescribeTargetGroups` by balancer finds none (moto answers
    /// `TargetGroupNotFound`). Such a balancer is reported as it is (no listeners), and its target
    /// groups are found by name (`elbName` of the balancer's `catalyze:op` token, one
    /// DescribeTargetGroups listing per region, only when the pod has a balancer), so the resumed
    /// create finishes it and a delete removes them too. An error reading one balancer names its address.
    /// Target groups and certificates tagged for the pod whose balancer is gone are reported under
    /// its address with an empty cloud id (from the GetResources listing, see `balancerLeftovers`).
    func read(_ batch: AWSRefreshBatch, into live: inout LiveSet, driver: AWSDriver) async throws {
        let pod = batch.pod
        let region = batch.region
        var allGroups: [XMLNode]?
        for balancer in batch.balancers {
            guard let arn = balancer.string("LoadBalancerArn"), let tags = batch.balancerTags[arn], tags[CatalyzeTag.pod] == pod,
                  let address = live.address(tags)
            else { continue }
            do {
                if allGroups == nil {
                    allGroups = try await driver.client.queryAll(.elbv2, "DescribeTargetGroups", region: region)
                        .flatMap { $0.list("DescribeTargetGroupsResult", "TargetGroups") }
                }
                try await driver.refreshBalancer(
                    balancer, arn: arn, tags: tags, address: address, pod: pod, region: region, allGroups: allGroups ?? [],
                    certificates: batch.balancerParts.filter(\.isCertificate), live: &live)
            } catch let error as DriverError {
                throw error.about(address)
            }
        }
        live.resources += AWSDriver.balancerLeftovers(batch.balancerParts, live: live.resources)
    }

    func tag(_ request: TagRequest, driver: AWSDriver) async throws -> TagResponse {
        let resource = request.resource
        let groups = (resource.outputs["target_groups"] ?? "").split(separator: ";").compactMap { item in
            item.split(separator: "=", maxSplits: 1).last.map(String.init)
        }
        let arns = [resource.cloudID] + groups.filter { $0.hasPrefix("arn:") }
        try await driver.queryTagging(
            .elbv2, set: ("AddTags", "Tags.member"), remove: ("RemoveTags", "TagKeys.member", ""),
            objects: ("ResourceArns.member", arns), request: request, sortedSet: request.set.sorted { $0.key < $1.key })
        return TagResponse(objects: arns.count)
    }
}

extension AWSDriver {
    /// load_balancer: an ALB or NLB (`type`, `scheme`) in the spec's `subnets` (two zones' public
    /// subnets when internet-facing, private ones when internal; moved in place with SetSubnets),
    /// or without them in the network's subnets (one per zone; an ALB needs two zones and gets the
    /// network's second subnet, see `balancerSubnets`), behind the firewall's
    /// group (ALB), with one target group per target port (health check from `health_check`) and one
    /// listener per `listeners` entry; HTTPS/TLS listeners use `certificate` (an ACM ARN, or a
    /// `env:`/`file:` reference to a PEM bundle resolved through `request.secrets` and imported into
    /// ACM — the PEM is never stored). A `tls-passthrough` listener is an NLB `TCP` listener to a `TCP`
    /// target group: no certificate, nothing imported, TLS terminates in the instances; the balancer's
    /// `catalyze:tls-passthrough` tag names those ports so refresh reads them back as passthrough.
    /// cloudID = balancer ARN; outputs `dns_name`, `target_groups` (`port=arn;…`), `certificate_arn`,
    /// `imported_certificate`.
    func applyLoadBalancer(_ request: ApplyRequest) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        let address = request.spec.address
        switch request.operation {
        case .create:
            let spec = try Self.typed(LoadBalancerSpec.self, request)
            let network = try request.dependency(at: spec.network)
            let type = spec.type.isEmpty ? "application" : spec.type
            let scheme = spec.scheme.isEmpty ? "internet-facing" : spec.scheme
            let listeners = spec.listeners
            let name = Self.elbName(request, suffix: "")
            let tags = Self.tags(request, extra: ListenerSpec.passthroughPorts(listeners).map { [ListenerSpec.passthroughTag: $0] } ?? [:])
            var outputs: [String: String] = [:]
            // The spec's subnets (one per zone: public ones behind the internet gateway, or private
            // ones); without them (an existing VPC, a spec recorded before 0.2.0) the network's,
            // one per zone, and an ALB spans two zones (the network's second subnet is made for it).
            var subnets: [(id: String, zone: String)] = []
            if !spec.subnets.isEmpty {
                for address in spec.subnets { subnets.append((id: try subnetID(address, of: request), zone: "")) }
            } else if type == "application" {
                subnets = try await balancerSubnets(request, network: network, networkAddress: spec.network)
            } else {
                for subnet in Self.subnets(of: network) where !subnets.contains(where: { $0.zone == subnet.zone }) { subnets.append(subnet) }
            }
            var madeNow = false
            let balancer = try await createOnce(
                firstUse: request.firstUse,
                lookup: { try await describeBalancer(name: name, region: region) },
                create: {
                    var parameters = ["Name": name, "Type": type, "Scheme": scheme]
                    for (n, subnet) in subnets.enumerated() { parameters["Subnets.member.\(n + 1)"] = subnet.id }
                    if type == "application" { parameters["SecurityGroups.member.1"] = try request.dependency(at: spec.firewall).cloudID }
                    for (n, (key, value)) in tags.enumerated() {
                        parameters["Tags.member.\(n + 1).Key"] = key
                        parameters["Tags.member.\(n + 1).Value"] = value
                    }
                    let reply = try await client.query(.elbv2, "CreateLoadBalancer", region: region, parameters, idempotent: false)
                    guard let member = reply.list("CreateLoadBalancerResult", "LoadBalancers").first else {
                        throw DriverError.malformedResponse(service: "elbv2", action: "CreateLoadBalancer", detail: "no balancer")
                    }
                    madeNow = true
                    return Self.balancerResource(member)
                })
            outputs.merge(balancer.outputs) { _, new in new }
            outputs["subnet_ids"] = subnets.map(\.id).joined(separator: ",")
            // A balancer made by this call with a first-use token has no target groups or listeners
            // yet (their names derive from the token): no need to look for them.
            let fresh = madeNow && request.firstUse
            var groups: [Int: String] = [:]
            for port in Set(listeners.map(\.targetPort)).sorted() {
                let proto = listeners.first { $0.targetPort == port }!.targetProtocol(type: type)
                groups[port] = try await ensureTargetGroup(
                    request, port: port, proto: proto, healthCheck: spec.healthCheck, vpc: network.cloudID, region: region, lookFirst: !fresh)
            }
            outputs["target_groups"] = groups.keys.sorted().map { "\($0)=\(groups[$0]!)" }.joined(separator: ";")
            let certificate = try await ensureListeners(
                listeners, certificate: spec.certificate, balancer: balancer.cloudID, groups: groups, request: request, region: region,
                known: fresh ? [] : nil)
            outputs.merge(certificate) { _, new in new }
            // Recorded as ELBv2 reads it back: the defaults it applied, the listeners sorted.
            var made = spec
            made.type = type
            made.scheme = scheme
            made.listeners = listeners.sorted()
            return CloudResource(cloudID: balancer.cloudID, attributes: made.attributes, outputs: outputs)
        case .update:
            let spec = try Self.typed(LoadBalancerSpec.self, request)
            guard var prior = request.prior else {
                throw DriverError.invalidSpec(address: address, reason: "update without a recorded load balancer")
            }
            // What was recorded, compared field by field with what is wanted; a record that does not
            // decode (fewer keys, from an older release or a read-back; a hand-edited lockfile)
            // counts as changed everywhere, as an absent key always did: each call below is idempotent.
            let recorded = prior.recorded(LoadBalancerSpec.self)
            // `type` replaces the balancer when it changes, so the wanted one is the recorded one
            // (the create recorded the default it applied to an empty one).
            let type = spec.type.isEmpty ? "application" : spec.type
            if !spec.subnets.isEmpty, recorded?.subnets != spec.subnets {
                // A balancer made before 0.2.0 in the network's subnets moves to the public (or
                // private) subnets of two zones in place (ELBv2 SetSubnets; its DNS name stays).
                var parameters = ["LoadBalancerArn": prior.cloudID]
                for (n, address) in spec.subnets.enumerated() { parameters["Subnets.member.\(n + 1)"] = try subnetID(address, of: request) }
                _ = try await client.query(.elbv2, "SetSubnets", region: region, parameters)
                prior.outputs["subnet_ids"] = spec.subnets.indices.compactMap { parameters["Subnets.member.\($0 + 1)"] }.joined(separator: ",")
            }
            if type == "application", recorded?.firewall != spec.firewall {
                _ = try await client.query(
                    .elbv2, "SetSecurityGroups", region: region,
                    ["LoadBalancerArn": prior.cloudID, "SecurityGroups.member.1": try request.dependency(at: spec.firewall).cloudID])
            }
            var groups = Self.targetGroups(prior.outputs["target_groups"] ?? "")
            let listeners = spec.listeners
            let vpc = try request.dependency(at: spec.network).cloudID
            for port in Set(listeners.map(\.targetPort)).sorted() where groups[port] == nil {
                let proto = listeners.first { $0.targetPort == port }!.targetProtocol(type: type)
                groups[port] = try await ensureTargetGroup(request, port: port, proto: proto, healthCheck: spec.healthCheck, vpc: vpc, region: region)
            }
            if let check = spec.healthCheck, recorded?.healthCheck != check {
                for arn in groups.values.sorted() {
                    var parameters = check.elbParameters
                    parameters["TargetGroupArn"] = arn
                    _ = try await client.query(.elbv2, "ModifyTargetGroup", region: region, parameters)
                }
            }
            try await tagPassthrough(balancer: prior.cloudID, from: recorded?.listeners ?? [], to: listeners, region: region)
            let certificate = try await ensureListeners(
                listeners, certificate: spec.certificate, balancer: prior.cloudID, groups: groups, request: request, region: region,
                removeOthers: true)
            prior.outputs.merge(certificate) { _, new in new }
            if !listeners.contains(where: \.needsCertificate) {
                // No listener terminates TLS any more (all plain or passthrough): the customer's key
                // that catalyze imported leaves the operator's account.
                if prior.outputs["imported_certificate"] == "true", let arn = prior.outputs["certificate_arn"] {
                    try await retryingInUse {
                        try await deleteIgnoringMissing {
                            _ = try await client.json(.acm, "DeleteCertificate", region: region, ["CertificateArn": arn])
                        }
                    }
                }
                prior.outputs["certificate_arn"] = nil
                prior.outputs["imported_certificate"] = nil
            }
            prior.outputs["target_groups"] = groups.keys.sorted().map { "\($0)=\(groups[$0]!)" }.joined(separator: ";")
            // These change in place; the rest stays as recorded (the defaults the create applied).
            let wanted = spec.attributes
            for key in ["firewall", "listeners", "certificate", "health_check", "subnets", "internet_gateway"] { prior.attributes[key] = wanted[key] }
            return prior
        case .delete:
            guard let prior = request.prior else { return nil }
            // An empty id: the balancer is gone, refresh found only its parts (`balancerLeftovers`).
            if !prior.cloudID.isEmpty {
                try await deleteIgnoringMissing {
                    _ = try await client.query(.elbv2, "DeleteLoadBalancer", region: region, ["LoadBalancerArn": prior.cloudID])
                }
            }
            for arn in Self.targetGroups(prior.outputs["target_groups"] ?? "").values.sorted() {
                try await retryingInUse {
                    try await deleteIgnoringMissing {
                        _ = try await client.query(.elbv2, "DeleteTargetGroup", region: region, ["TargetGroupArn": arn])
                    }
                }
            }
            var imported = prior.outputs["imported_certificate"] == "true" ? prior.outputs["certificate_arn"] : nil
            if prior.outputs["certificate_arn"] == nil, !request.token.isEmpty {
                // No listener holds a certificate: a create killed after ImportCertificate and
                // before its listener leaves one only its `catalyze:op` tag leads to.
                imported = try await findImportedCertificate(pod: request.pod, token: request.token, region: region)
            }
            if let arn = imported {
                try await retryingInUse {
                    try await deleteIgnoringMissing {
                        _ = try await client.json(.acm, "DeleteCertificate", region: region, ["CertificateArn": arn])
                    }
                }
            }
            return nil
        }
    }
}

extension AWSDriver {
    /// One balancer of the pod (see `LoadBalancerHandler.read`); its target groups are left in
    /// `live.targetGroups` for `LBTargetHandler`.
    func refreshBalancer(
        _ balancer: XMLNode, arn: String, tags: [String: String], address: ResourceAddress, pod: String, region: String,
        allGroups: [XMLNode], certificates: [TaggedBalancerPart], live: inout LiveSet
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

        for (groupARN, port) in portOfGroup.sorted(by: { $0.key < $1.key }) {
            live.targetGroups.append((balancer: address, arn: groupARN, port: port))
        }
    }
}
