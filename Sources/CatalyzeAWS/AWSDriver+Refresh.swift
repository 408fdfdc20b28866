import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

extension AWSDriver {
    /// A pod's live resources in one region, found by the `catalyze:pod` tag with a fixed set of
    /// batched calls (pagination aside), however many resources the pod has:
    /// EC2 DescribeVpcs, DescribeSubnets, DescribeSecurityGroups, DescribeInstances, DescribeVolumes,
    /// DescribeVpnConnections, DescribeCustomerGateways (each filtered by `tag:catalyze:pod`);
    /// KMS ListAliases + ListResourceTags per customer alias of the region; ELBv2
    /// DescribeLoadBalancers + DescribeTags (20 ARNs per call), and per balancer of the pod
    /// DescribeTargetGroups, DescribeListeners, DescribeTargetHealth per group and one ACM
    /// ListTagsForCertificate; one Resource Groups Tagging API GetResources for the pod's certificates
    /// and target groups (those whose balancer is gone are reported too, see `balancerLeftovers`);
    /// AWS Backup ListBackupPlans, and for the pod's plan GetBackupPlan and ListBackupVaults (see
    /// `refreshBackupPlans`).
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
        let region = request.region
        let podFilter = [("tag:\(CatalyzeTag.pod)", [request.pod])]
        async let vpcPages = client.queryAll(.ec2, "DescribeVpcs", region: region, Self.filters(podFilter))
        async let subnetPages = client.queryAll(.ec2, "DescribeSubnets", region: region, Self.filters(podFilter))
        async let groupPages = client.queryAll(.ec2, "DescribeSecurityGroups", region: region, Self.filters(podFilter))
        async let instancePages = client.queryAll(
            .ec2, "DescribeInstances", region: region,
            Self.filters(podFilter + [("instance-state-name", ["pending", "running", "stopping", "stopped"])]))
        async let volumePages = client.queryAll(.ec2, "DescribeVolumes", region: region, Self.filters(podFilter))
        async let vpnPages = client.queryAll(.ec2, "DescribeVpnConnections", region: region, Self.filters(podFilter))
        async let gatewayPages = client.queryAll(.ec2, "DescribeCustomerGateways", region: region, Self.filters(podFilter))
        async let vpnGatewayPages = client.queryAll(.ec2, "DescribeVpnGateways", region: region, Self.filters(podFilter))
        async let keys = refreshKeys(pod: request.pod, region: region)
        async let referenced = referencedNetworks(request)

        var live = LiveSet()
        let vpcs = try await vpcPages.flatMap { $0.list("vpcSet") }.filter { Self.state(of: $0) != "deleted" }
        let subnets = try await subnetPages.flatMap { $0.list("subnetSet") }
        for vpc in vpcs {
            guard let id = vpc.string("vpcId"), let address = live.address(vpc.tags) else { continue }
            // Its subnets, by number (`catalyze:subnet`; an unnumbered one is the first).
            let own = subnets.filter { $0.string("vpcId") == id && $0.tags[CatalyzeTag.address] == address.description }
                .sorted { ($0.tags[Self.subnetTag] ?? "1", $0.string("subnetId") ?? "") < ($1.tags[Self.subnetTag] ?? "1", $1.string("subnetId") ?? "") }
            var attributes = ["cidr": vpc.string("cidrBlock") ?? ""]
            var outputs: [String: String] = [:]
            if let subnet = own.first {
                attributes["subnet_cidr"] = subnet.string("cidrBlock")
                attributes["zone"] = subnet.string("availabilityZone")
                outputs = Self.subnetOutputs(own.compactMap { s in s.string("subnetId").map { (id: $0, zone: s.string("availabilityZone") ?? "") } })
            }
            live.add(address, .network, CloudResource(cloudID: id, attributes: attributes, outputs: outputs), vpc.tags, id: id)
        }
        for (address, resource) in try await referenced { live.add(address, .network, resource, [:], id: resource.cloudID) }

        let groups = try await groupPages.flatMap { $0.list("securityGroupInfo") }
        for group in groups {
            guard let id = group.string("groupId"), let address = live.address(group.tags) else { continue }
            let vpc = group.string("vpcId") ?? ""
            let base = Self.rules(of: group) { $0 == Self.firewallRuleDescription }.map(\.rule)
            var attributes = ["ingress": IngressRuleSpec.canonical(base)]
            attributes["network"] = live.addresses[vpc]?.description
            live.add(address, .firewall, CloudResource(cloudID: id, attributes: attributes, outputs: ["vpc_id": vpc]), group.tags, id: id)
            for (rule, text) in Self.rules(of: group, description: { $0.hasPrefix(Self.switchedRulePrefix) }) {
                let words = text.dropFirst(Self.switchedRulePrefix.count).split(separator: " ", maxSplits: 1)
                guard let ruleAddress = words.first.flatMap({ ResourceAddress(parsing: String($0)) }) else { continue }
                let token = words.count > 1 && words[1].hasPrefix("op=") ? String(words[1].dropFirst(3)) : nil
                let attributes = [
                    "firewall": address.description, "protocol": rule.proto, "cidr": rule.cidr,
                    "port": rule.fromPort == rule.toPort ? "\(rule.fromPort)" : "\(rule.fromPort)-\(rule.toPort)",
                ]
                live.resources.append(LiveResource(
                    address: ruleAddress, kind: .firewallRule,
                    resource: CloudResource(cloudID: "\(id)|\(rule)", attributes: attributes, outputs: ["group_id": id]),
                    operationToken: token, lineage: group.tags[CatalyzeTag.lineage]))
            }
        }

        for key in try await keys { live.add(key.address, .key, key.resource, key.tags, id: key.resource.cloudID, alias: key.resource.outputs["key_id"]) }

        let instances = try await instancePages.flatMap { $0.list("reservationSet").flatMap { $0.list("instancesSet") } }
        for instance in instances {
            guard let id = instance.string("instanceId"), let address = live.address(instance.tags) else { continue }
            var attributes = [
                "host": instance.string("placement", "hostId") ?? "", "zone": instance.string("placement", "availabilityZone") ?? "",
                "image": instance.string("imageId") ?? "",
            ]
            attributes["role"] = instance.tags[Self.roleTag]
            attributes["network"] = instance.string("vpcId").flatMap { live.addresses[$0]?.description }
            attributes["firewall"] = instance.list("groupSet").compactMap { $0.string("groupId") }.compactMap { live.addresses[$0]?.description }.first
            live.add(address, .instance, CloudResource(cloudID: id, attributes: attributes, outputs: Self.instanceOutputs(instance)), instance.tags, id: id)
        }

        let volumes = try await volumePages.flatMap { $0.list("volumeSet") }
            .filter { !["deleting", "deleted", "error"].contains(Self.state(of: $0)) }
        for volume in volumes {
            guard let id = volume.string("volumeId"), let address = live.address(volume.tags) else { continue }
            var attributes = [
                "size_gib": volume.string("size") ?? "", "encrypted": volume.string("encrypted") ?? "false",
                "zone": volume.string("availabilityZone") ?? "",
            ]
            let kms = volume.string("kmsKeyId") ?? ""
            attributes["key"] = (live.addresses[kms] ?? live.addresses[String(kms.split(separator: "/").last ?? "")])?.description
            live.add(address, .volume, CloudResource(cloudID: id, attributes: attributes, outputs: ["kms_key_id": kms]), volume.tags, id: id)
            if let attachmentAddress = volume.tags[Self.attachmentTag].flatMap(ResourceAddress.init(parsing:)),
               let attachment = volume.list("attachmentSet").first(where: { !["detaching", "detached"].contains($0.string("status") ?? "") }),
               let instance = attachment.string("instanceId")
            {
                var attributes = ["volume": address.description, "device": attachment.string("device") ?? ""]
                attributes["instance"] = live.addresses[instance]?.description
                live.resources.append(LiveResource(
                    address: attachmentAddress, kind: .attachment,
                    resource: CloudResource(cloudID: "\(id)|\(instance)", attributes: attributes),
                    operationToken: volume.tags[Self.attachmentOperationTag], lineage: volume.tags[CatalyzeTag.lineage]))
            }
        }

        let gateways = try await gatewayPages.flatMap { $0.list("customerGatewaySet") }
        for vpn in try await vpnPages.flatMap({ $0.list("vpnConnectionSet") }) where !["deleted", "deleting"].contains(Self.state(of: vpn)) {
            guard let id = vpn.string("vpnConnectionId"), let address = live.address(vpn.tags) else { continue }
            let customer = vpn.string("customerGatewayId") ?? ""
            var attributes = ["remote_cidrs": Self.staticRoutes(of: vpn).joined(separator: ",")]
            attributes["peer_ip"] = gateways.first { $0.string("customerGatewayId") == customer }?.string("ipAddress")
            var outputs = ["customer_gateway_id": customer, "vpn_gateway_id": vpn.string("vpnGatewayId") ?? ""]
            if let network = vpcs.first(where: { $0.tags[CatalyzeTag.pod] == request.pod }), let vpc = network.string("vpcId") {
                attributes["network"] = live.addresses[vpc]?.description
                outputs["vpc_id"] = vpc
            }
            live.add(address, .vpn, CloudResource(cloudID: id, attributes: attributes, outputs: outputs), vpn.tags, id: id)
        }
        live.resources += Self.halfMadeVPNs(
            customerGateways: gateways, vpnGateways: try await vpnGatewayPages.flatMap { $0.list("vpnGatewaySet") },
            made: Set(live.resources.filter { $0.kind == .vpn }.map(\.address)), vpcAddresses: live.addresses)

        try await refreshBalancers(pod: request.pod, region: region, instances: instances, live: &live)
        live.resources += try await refreshBackupPlans(pod: request.pod, region: region, keyAddresses: live.addresses)
        return RefreshResponse(resources: live.resources)
    }
}

extension AWSDriver {
    /// The existing VPCs the manifest names (`request.references` of kind network) that still
    /// exist, with those of their subnets that do: two calls per reference, none without.
    func referencedNetworks(_ request: RefreshRequest) async throws -> [(ResourceAddress, CloudResource)] {
        var found: [(ResourceAddress, CloudResource)] = []
        for (address, attributes) in request.references.sorted(by: { $0.key < $1.key }) where address.kind == .network {
            guard let vpc = attributes["vpc"], !vpc.isEmpty else { continue }
            if let network = try await describeExistingNetwork(vpc: vpc, subnets: Self.idList(attributes["subnets"]), region: request.region) {
                found.append((address, network.resource))
            }
        }
        return found
    }
}

extension AWSDriver {
    /// Gateways of a VPN whose connection was never made (`apply` killed between CreateVpnGateway,
    /// CreateCustomerGateway and CreateVpnConnection), reported under their `catalyze:address` with
    /// an empty cloud id: the resumed create finds them by their `catalyze:op` tag and finishes the
    /// VPN, and a delete (`destroy`, or an address no longer wanted) removes them, none orphaned.
    static func halfMadeVPNs(
        customerGateways: [XMLNode], vpnGateways: [XMLNode], made: Set<ResourceAddress>, vpcAddresses: [String: ResourceAddress]
    ) -> [LiveResource] {
        var parts: [ResourceAddress: (token: String?, attributes: [String: String], outputs: [String: String])] = [:]
        var tagsOf: [ResourceAddress: [String: String]] = [:]
        for gateway in customerGateways where !["deleted", "deleting"].contains(Self.state(of: gateway)) {
            guard let address = gateway.tags[CatalyzeTag.address].flatMap(ResourceAddress.init(parsing:)), !made.contains(address),
                  let id = gateway.string("customerGatewayId")
            else { continue }
            parts[address, default: (gateway.tags[CatalyzeTag.operation], [:], [:])].outputs["customer_gateway_id"] = id
            tagsOf[address] = gateway.tags
            parts[address]?.attributes["peer_ip"] = gateway.string("ipAddress")
        }
        for gateway in vpnGateways where !["deleted", "deleting"].contains(Self.state(of: gateway)) {
            guard let address = gateway.tags[CatalyzeTag.address].flatMap(ResourceAddress.init(parsing:)), !made.contains(address),
                  let id = gateway.string("vpnGatewayId")
            else { continue }
            parts[address, default: (gateway.tags[CatalyzeTag.operation], [:], [:])].outputs["vpn_gateway_id"] = id
            tagsOf[address] = tagsOf[address] ?? gateway.tags
            if let vpc = gateway.list("attachments").first(where: { !["detached", "detaching"].contains($0.string("state") ?? "") })?
                .string("vpcId")
            {
                parts[address]?.outputs["vpc_id"] = vpc
                parts[address]?.attributes["network"] = vpcAddresses[vpc]?.description
            }
        }
        return parts.sorted { $0.key < $1.key }.map { address, part in
            var attributes = part.attributes
            attributes["remote_cidrs"] = ""
            return LiveResource(
                address: address, kind: .vpn, resource: CloudResource(cloudID: "", attributes: attributes, outputs: part.outputs),
                operationToken: part.token).carrying(tagsOf[address] ?? [:])
        }
    }
}

/// The resources found so far in one refresh, and a map from cloud ids to their addresses.
struct LiveSet {
    var resources: [LiveResource] = []
    var addresses: [String: ResourceAddress] = [:]

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
