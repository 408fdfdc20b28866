import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// network: a VPC with the containers' subnet (see `AWSDriver.applyNetwork`); read back from the
/// pod's VPCs and subnets (DescribeVpcs, DescribeSubnets) and the existing VPCs the manifest names;
/// tagged on the VPC and its subnets.
struct NetworkHandler: EC2TaggedHandler {
    var kind: ResourceKind { .network }
    var lists: Set<AWSListCall> { [.ec2(.vpcs), .ec2(.subnets), .referencedNetworks] }

    func apply(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource? {
        try await driver.applyNetwork(request)
    }

    /// Each VPC tagged for the pod with its subnets by number (`catalyze:subnet`; an unnumbered one
    /// is the first), then each existing VPC the manifest names, reported under its address, untagged.
    func read(_ batch: AWSRefreshBatch, into live: inout LiveSet, driver: AWSDriver) async throws {
        for vpc in batch[.vpcs] where AWSDriver.state(of: vpc) != "deleted" {
            guard let id = vpc.string("vpcId"), let address = live.address(vpc.tags) else { continue }
            let own = batch[.subnets].filter { $0.string("vpcId") == id && $0.tags[CatalyzeTag.address] == address.description }
                .sorted {
                    ($0.tags[AWSDriver.subnetTag] ?? "1", $0.string("subnetId") ?? "") < ($1.tags[AWSDriver.subnetTag] ?? "1", $1.string("subnetId") ?? "")
                }
            var attributes = ["cidr": vpc.string("cidrBlock") ?? ""]
            var outputs: [String: String] = [:]
            if let subnet = own.first {
                attributes["subnet_cidr"] = subnet.string("cidrBlock")
                attributes["zone"] = subnet.string("availabilityZone")
                outputs = AWSDriver.subnetOutputs(own.compactMap { s in s.string("subnetId").map { (id: $0, zone: s.string("availabilityZone") ?? "") } })
            }
            live.add(address, .network, CloudResource(cloudID: id, attributes: attributes, outputs: outputs), vpc.tags, id: id)
        }
        for (address, resource) in batch.referencedNetworks { live.add(address, .network, resource, [:], id: resource.cloudID) }
    }

    func ec2Objects(_ resource: CloudResource) -> [String] {
        [resource.cloudID] + AWSDriver.subnets(of: resource).map(\.id)
    }
}

extension AWSDriver {
    /// Tag on each subnet of a network: `1` for the containers' subnet (`subnet_cidr` in `zone`),
    /// `2` for the second one, in another zone, that an application load balancer needs.
    static let subnetTag = "catalyze:subnet"

    /// network: a VPC (`cidr`) with the containers' subnet (`subnet_cidr` in `zone`). An
    /// application load balancer in it adds the network's second subnet (see `balancerSubnets`).
    /// cloudID = VPC id; outputs `subnet_id` (the first), `subnet_ids` and `subnet_zones`
    /// (`subnet=zone;…`). Every attribute forces replacement, so update is a no-op; delete removes
    /// every subnet of the VPC, then the VPC.
    ///
    /// With `vpc` set (and `subnets`, comma-separated) the network is an existing VPC named in the
    /// manifest: it is verified (VPC and subnets exist, the subnets are the VPC's), never created or
    /// deleted; cloudID = that VPC.
    func applyNetwork(_ request: ApplyRequest) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        switch request.operation {
        case .create:
            let cidr: String, subnetCIDR: String, zone: String
            switch try Self.typed(NetworkSpec.self, request).source {
            case let .existing(vpc, subnets):
                return try await existingNetwork(vpc: vpc, subnets: subnets, region: region, address: request.spec.address)
            case let .made(madeCIDR, madeSubnetCIDR, madeZone):
                (cidr, subnetCIDR, zone) = (madeCIDR, madeSubnetCIDR, madeZone)
            }
            // The spec may leave the zone empty; the containers' subnet needs one.
            guard !zone.isEmpty else {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "attribute 'zone' is required")
            }
            let vpc = try await createOnce(
                firstUse: request.firstUse,
                lookup: { try await findByOperation("DescribeVpcs", "vpcSet", "vpcId", request).map { CloudResource(cloudID: $0) } },
                create: {
                    var parameters = Self.tagSpecification(request, resourceType: "vpc")
                    parameters["CidrBlock"] = cidr
                    let reply = try await client.query(.ec2, "CreateVpc", region: region, parameters, idempotent: false)
                    guard let id = reply.string("vpc", "vpcId") else {
                        throw DriverError.malformedResponse(service: "ec2", action: "CreateVpc", detail: "no vpcId")
                    }
                    return CloudResource(cloudID: id)
                })
            let subnet = try await createOnce(
                firstUse: request.firstUse,
                lookup: { try await findSubnet(vpc: vpc.cloudID, number: 1, region: region, token: request.token) },
                create: {
                    try await createSubnet(
                        request, address: request.spec.address, number: 1, vpc: vpc.cloudID, cidr: subnetCIDR, zone: zone)
                })
            // The region's hosts and image, which the pod's instances need next, are read while the
            // firewall is made (not sooner: the region is busiest while its first networks are made).
            prepareInstances(region: region)
            return CloudResource(
                cloudID: vpc.cloudID, attributes: NetworkSpec(.made(cidr: cidr, subnetCIDR: subnetCIDR, zone: zone)).attributes,
                outputs: Self.subnetOutputs([(id: subnet.cloudID, zone: zone)]))
        case .update:
            // Every key replaces the network: nothing changes in place, but a spec that does not decode is refused.
            let spec = try Self.typed(NetworkSpec.self, request)
            return request.prior ?? CloudResource(cloudID: "", attributes: spec.attributes)
        case .delete:
            guard let vpc = request.prior?.cloudID, !vpc.isEmpty else { return nil }
            // An existing VPC named in the manifest is not catalyze's to delete. A record that does
            // not decode (a half-made network read back without its subnet) is one catalyze made.
            if case .existing? = request.prior?.recorded(NetworkSpec.self)?.source { return nil }
            let subnets = try await client.queryAll(
                .ec2, "DescribeSubnets", region: region, Self.filters([("vpc-id", [vpc])]))
            for id in subnets.flatMap({ $0.list("subnetSet") }).compactMap({ $0.string("subnetId") }) {
                try await deleteIgnoringMissing {
                    _ = try await client.query(.ec2, "DeleteSubnet", region: region, ["SubnetId": id])
                }
            }
            try await deleteIgnoringMissing {
                _ = try await client.query(.ec2, "DeleteVpc", region: region, ["VpcId": vpc])
            }
            return nil
        }
    }

    /// The subnets an application load balancer in `network` uses, one per zone: the network's own,
    /// and — when they cover one zone only — the network's second subnet: the block after
    /// `subnet_cidr` in the first other zone of the region, tagged as the network's (number 2) and
    /// made now if it is not there yet. An existing VPC must name two zones' subnets itself.
    /// `networkAddress` is the balancer's network (its spec's), whose address tags the new subnet.
    func balancerSubnets(_ request: ApplyRequest, network: CloudResource, networkAddress: ResourceAddress) async throws -> [(id: String, zone: String)] {
        var subnets: [(id: String, zone: String)] = []
        for subnet in Self.subnets(of: network) where !subnets.contains(where: { $0.zone == subnet.zone }) { subnets.append(subnet) }
        guard subnets.count < 2 else { return subnets }
        let address = request.spec.address
        let region = request.spec.cloudRegion
        // The network as recorded: only one catalyze made (not an existing VPC) can get a second subnet.
        guard case let .made(cidr, subnetCIDR, _)? = network.recorded(NetworkSpec.self)?.source, let first = subnets.first else {
            throw DriverError.invalidSpec(
                address: address,
                reason: "an application load balancer needs subnets in two availability zones; the network has \(subnets.map(\.id).joined(separator: ", "))")
        }
        guard let secondCIDR = Self.neighbourBlock(of: subnetCIDR, in: cidr) else {
            throw DriverError.invalidSpec(
                address: address, reason: "network \(cidr) has no room for a second \(subnetCIDR) subnet (an application load balancer needs two zones)")
        }
        let second = try await createOnce(
            lookup: { try await findSubnet(vpc: network.cloudID, number: 2, region: region, token: nil) },
            create: {
                guard let zone = try await availabilityZones(region: region).first(where: { $0 != first.zone }) else {
                    throw DriverError.invalidSpec(address: address, reason: "\(region) has no availability zone besides \(first.zone)")
                }
                return try await createSubnet(
                    request, address: networkAddress, number: 2, vpc: network.cloudID, cidr: secondCIDR, zone: zone)
            })
        subnets.append((id: second.cloudID, zone: second.attributes["zone"] ?? ""))
        return subnets
    }

    /// Subnet number `number` of the VPC (tagged `catalyze:subnet`; an unnumbered one is the first),
    /// made with `token` when one is given; nil when there is none.
    func findSubnet(vpc: String, number: Int, region: String, token: String?) async throws -> CloudResource? {
        var filters = [("vpc-id", [vpc])]
        if let token { filters.append(("tag:\(CatalyzeTag.operation)", [token])) }
        let pages = try await client.queryAll(.ec2, "DescribeSubnets", region: region, Self.filters(filters))
        return pages.flatMap { $0.list("subnetSet") }
            .first { ($0.tags[Self.subnetTag] ?? "1") == String(number) }
            .flatMap { item in item.string("subnetId").map { CloudResource(cloudID: $0, attributes: ["zone": item.string("availabilityZone") ?? ""]) } }
    }

    /// Makes subnet number `number` of a network, tagged with the network's address and `request`'s token.
    func createSubnet(
        _ request: ApplyRequest, address: ResourceAddress, number: Int, vpc: String, cidr: String, zone: String
    ) async throws -> CloudResource {
        let region = request.spec.cloudRegion
        var parameters = Self.tagSpecification(
            request, resourceType: "subnet",
            extra: [CatalyzeTag.address: address.description, "Name": "\(request.pod)-\(address.name)-\(number)", Self.subnetTag: String(number)])
        parameters["VpcId"] = vpc
        parameters["CidrBlock"] = cidr
        parameters["AvailabilityZone"] = zone
        let reply = try await consistent {
            try await client.query(.ec2, "CreateSubnet", region: region, parameters, idempotent: false)
        }
        guard let id = reply.string("subnet", "subnetId") else {
            throw DriverError.malformedResponse(service: "ec2", action: "CreateSubnet", detail: "no subnetId")
        }
        return CloudResource(cloudID: id, attributes: ["zone": zone])
    }

    /// Verifies an existing VPC and its subnets (named in the manifest) and describes them as a network.
    func existingNetwork(vpc: String, subnets: [String], region: String, address: ResourceAddress) async throws -> CloudResource {
        guard let found = try await describeExistingNetwork(vpc: vpc, subnets: subnets, region: region) else {
            throw DriverError.invalidSpec(address: address, reason: "VPC \(vpc) does not exist in \(region)")
        }
        let missing = subnets.filter { id in !found.subnets.contains { $0.id == id } }
        if !missing.isEmpty {
            throw DriverError.invalidSpec(
                address: address, reason: "subnet \(missing.joined(separator: ", ")) does not exist in VPC \(vpc) in \(region)")
        }
        return found.resource
    }

    /// The existing VPC `vpc` and those of `subnets` that lie in it, as a network resource; nil when
    /// the VPC does not exist. Two calls (DescribeVpcs, DescribeSubnets).
    func describeExistingNetwork(vpc: String, subnets: [String], region: String) async throws -> (resource: CloudResource, subnets: [(id: String, zone: String)])? {
        let item: XMLNode?
        do {
            item = try await client.query(.ec2, "DescribeVpcs", region: region, ["VpcId.1": vpc]).list("vpcSet").first
        } catch let error as DriverError where error.isNotFound || error.awsCode == "InvalidVpcID.Malformed" {
            item = nil
        }
        guard let item, Self.state(of: item) != "deleted" else { return nil }
        var found: [(id: String, zone: String)] = []
        if !subnets.isEmpty {
            var parameters = Self.filters([("vpc-id", [vpc])])
            for (n, id) in subnets.enumerated() { parameters["SubnetId.\(n + 1)"] = id }
            let reply: [XMLNode]
            do {
                reply = try await client.query(.ec2, "DescribeSubnets", region: region, parameters).list("subnetSet")
            } catch let error as DriverError where error.isNotFound || error.awsCode == "InvalidSubnetID.Malformed" {
                reply = []
            }
            var zones: [String: String] = [:]
            for item in reply { if let id = item.string("subnetId") { zones[id] = item.string("availabilityZone") ?? "" } }
            found = subnets.compactMap { id in zones[id].map { (id: id, zone: $0) } }
        }
        let resource = CloudResource(
            cloudID: vpc, attributes: ["vpc": vpc, "subnets": found.map(\.id).joined(separator: ",")],
            outputs: Self.subnetOutputs(found).merging(["cidr": item.string("cidrBlock") ?? ""]) { a, _ in a })
        return (resource, found)
    }

    /// `subnet_id` (the first), `subnet_ids` and `subnet_zones` outputs of a network.
    static func subnetOutputs(_ subnets: [(id: String, zone: String)]) -> [String: String] {
        guard let first = subnets.first else { return [:] }
        return [
            "subnet_id": first.id, "subnet_ids": subnets.map(\.id).joined(separator: ","),
            "subnet_zones": subnets.map { "\($0.id)=\($0.zone)" }.joined(separator: ";"),
        ]
    }

    /// The network's subnets with their zones, in order (`subnet_zones`, else the lone `subnet_id`).
    static func subnets(of network: CloudResource) -> [(id: String, zone: String)] {
        let pairs = (network.outputs["subnet_zones"] ?? "").split(separator: ";").compactMap { item -> (id: String, zone: String)? in
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (id: parts[0], zone: parts[1]) : nil
        }
        if !pairs.isEmpty { return pairs }
        return network.outputs["subnet_id"].map { [(id: $0, zone: network.attributes["zone"] ?? "")] } ?? []
    }

    /// The network's subnet in `zone` (else its first subnet).
    static func subnet(of network: CloudResource, zone: String) -> String? {
        let all = subnets(of: network)
        return (all.first { $0.zone == zone } ?? all.first)?.id
    }

    /// The region's available availability zones, sorted (read once per region for the driver's life).
    func availabilityZones(region: String) async throws -> [String] {
        let client = self.client
        return try await facts.zones.value(region) {
            let reply = try await client.query(.ec2, "DescribeAvailabilityZones", region: region)
            var zones: Set<String> = []
            for item in reply.list("availabilityZoneInfo")
            where (item.string("zoneState") ?? "available") == "available" && (item.string("zoneType") ?? "availability-zone") == "availability-zone" {
                if let name = item.string("zoneName") { zones.insert(name) }
            }
            return zones.sorted()
        }
    }

    /// The block of the same size as `subnet` that follows it inside `network` (wrapping to the
    /// network's start); nil when the subnet fills the network or either is malformed.
    static func neighbourBlock(of subnet: String, in network: String) -> String? {
        func parse(_ text: String) -> (value: UInt32, prefix: Int)? {
            let parts = text.split(separator: "/")
            guard parts.count == 2, let prefix = Int(parts[1]), (0...32).contains(prefix) else { return nil }
            let octets = parts[0].split(separator: ".").compactMap { UInt32($0) }
            guard octets.count == 4, octets.allSatisfy({ $0 < 256 }) else { return nil }
            return (octets.reduce(0) { $0 << 8 | $1 }, prefix)
        }
        guard let s = parse(subnet), let n = parse(network), s.prefix > n.prefix, s.prefix <= 32, n.prefix >= 1 else { return nil }
        let size = UInt64(1) << UInt64(32 - s.prefix)
        let start = UInt64(n.value & (~UInt32(0) << UInt32(32 - n.prefix)))
        let end = start + (UInt64(1) << UInt64(32 - n.prefix))
        var next = UInt64(s.value) + size
        if next >= end { next = start }
        guard next != UInt64(s.value) else { return nil }
        let value = UInt32(next)
        return "\(value >> 24).\(value >> 16 & 255).\(value >> 8 & 255).\(value & 255)/\(s.prefix)"
    }
}

extension AWSDriver {
    /// The existing VPCs the manifest names (`request.references` of kind network) that still
    /// exist, with those of their subnets that do: two calls per reference, none without.
    func referencedNetworks(_ request: RefreshRequest) async throws -> [(ResourceAddress, CloudResource)] {
        var found: [(ResourceAddress, CloudResource)] = []
        for (address, attributes) in request.references.sorted(by: { $0.key < $1.key }) where address.kind == .network {
            // The desired spec; a network catalyze makes (or one that does not decode) is no reference.
            guard case let .existing(vpc, subnets)? = (try? NetworkSpec(attributes: attributes))?.source else { continue }
            if let network = try await describeExistingNetwork(vpc: vpc, subnets: subnets, region: request.region) {
                found.append((address, network.resource))
            }
        }
        return found
    }
}
