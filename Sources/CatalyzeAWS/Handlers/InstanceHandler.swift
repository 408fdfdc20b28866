import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// instance: one EC2 instance on exactly its dedicated host (see `AWSDriver.applyInstance`); read
/// back from the pod's live instances (DescribeInstances); tagged on the instance.
struct InstanceHandler: EC2TaggedHandler {
    var kind: ResourceKind { .instance }
    var lists: Set<AWSListCall> { [.ec2(.instances)] }

    func apply(_ request: ApplyRequest, driver: AWSDriver) async throws -> CloudResource? {
        try await driver.applyInstance(request)
    }

    func read(_ batch: AWSRefreshBatch, into live: inout LiveSet, driver: AWSDriver) async throws {
        for instance in batch[.instances] {
            guard let id = instance.string("instanceId"), let address = live.address(instance.tags) else { continue }
            var attributes = [
                "host": instance.string("placement", "hostId") ?? "", "zone": instance.string("placement", "availabilityZone") ?? "",
                "image": instance.string("imageId") ?? "",
            ]
            attributes["role"] = instance.tags[AWSDriver.roleTag]
            attributes["network"] = instance.string("vpcId").flatMap { live.addresses[$0]?.description }
            attributes["firewall"] = instance.list("groupSet").compactMap { $0.string("groupId") }.compactMap { live.addresses[$0]?.description }.first
            live.add(
                address, .instance, CloudResource(cloudID: id, attributes: attributes, outputs: AWSDriver.instanceOutputs(instance)),
                instance.tags, id: id)
        }
    }

    func ec2Objects(_ resource: CloudResource) -> [String] { [resource.cloudID] }
}

extension AWSDriver {
    /// Tag holding an instance's role.
    static let roleTag = "catalyze:role"

    /// instance: one EC2 instance with host tenancy on exactly the dedicated host `host`, of the
    /// smallest type of the host's family that fits `vcpu` and `memory_mib`, in the network's subnet of the host's zone
    /// and the firewall's group, booted with `BootConfiguration` as user data. The placement is read
    /// back from RunInstances' own reply (DescribeInstances when the instance was found by its tag);
    /// another host → the instance is terminated and `placementMismatch` thrown.
    /// cloudID = instance id; attributes report `host` as EC2 does; outputs `instance_type`, `private_ip`.
    /// Only `firewall` and `port` change in place.
    func applyInstance(_ request: ApplyRequest) async throws -> CloudResource? {
        let region = request.spec.cloudRegion
        let address = request.spec.address
        switch request.operation {
        case .create:
            let spec = try Self.typed(InstanceSpec.self, request)
            let host = spec.host
            guard !host.isEmpty else { throw DriverError.invalidSpec(address: address, reason: "attribute 'host' is required") }
            let (vcpu, memory) = (spec.vcpu, spec.memoryMiB)
            let network = try request.dependency(at: spec.network)
            let group = try request.dependency(at: spec.firewall).cloudID
            let boot = try BootConfiguration(
                sshCA: spec.sshCA, principals: spec.principalNames, revocationList: request.hostBoot.revocationList, address: address)
            // The host's facts and the image are read at once (each once per region for the driver's life).
            async let defaultImage = imageID(spec.image, address: address, region: region)
            guard let hostFacts = try await dedicatedHost(host, region: region) else {
                throw DriverError.invalidSpec(address: address, reason: "dedicated host \(host) not found in \(region)")
            }
            let familyName = hostFacts.family
            guard let family = HostFamily.known[familyName] else {
                throw DriverError.invalidSpec(address: address, reason: "host \(host) has unknown instance family '\(familyName)'")
            }
            let type: String
            if !hostFacts.instanceType.isEmpty {
                // A single-type host runs only its type (EC2 AllocateHosts: "If you specify an
                // instance type, the Dedicated Hosts support instances of the specified instance type only").
                guard let size = HostFamily.size(of: hostFacts.instanceType), size.vcpu >= vcpu, size.memoryMiB >= memory else {
                    throw DriverError.invalidSpec(
                        address: address,
                        reason: "dedicated host \(host) runs only \(hostFacts.instanceType), which has less than the \(vcpu) vCPU and \(memory) MiB this container needs")
                }
                type = hostFacts.instanceType
            } else if let smallest = family.instanceType(vcpu: vcpu, memoryMiB: memory) {
                type = smallest
            } else {
                throw DriverError.invalidSpec(address: address, reason: "no \(familyName) size has \(vcpu) vCPU and \(memory) MiB")
            }
            let zone = hostFacts.zone.isEmpty ? spec.zone : hostFacts.zone
            guard let subnet = Self.subnet(of: network, zone: zone) else {
                throw DriverError.invalidSpec(address: address, reason: "network has no recorded subnet")
            }
            let image = try await defaultImage
            // RunInstances answers with the instance as launched (placement included): when the
            // create happened here, that reply is the read-back; an instance found by its tag is described.
            var launched: XMLNode?
            let created = try await createOnce(
                firstUse: request.firstUse,
                lookup: { try await findInstance(request).map { CloudResource(cloudID: $0) } },
                create: {
                    var parameters = Self.tagSpecification(request, resourceType: "instance", extra: [Self.roleTag: spec.role])
                    parameters.merge([
                        "ImageId": image, "InstanceType": type, "MinCount": "1", "MaxCount": "1",
                        "ClientToken": Self.clientToken(request.token), "Placement.HostId": host,
                        "Placement.Tenancy": "host", "Placement.AvailabilityZone": zone, "SubnetId": subnet,
                        "SecurityGroupId.1": group, "UserData": Data(boot.script.utf8).base64EncodedString(),
                        // IMDSv2 only (session tokens: a forged GET through an SSRF cannot read the
                        // instance's credentials), and one hop: a container on the host cannot reach it.
                        "MetadataOptions.HttpTokens": "required", "MetadataOptions.HttpEndpoint": "enabled",
                        "MetadataOptions.HttpPutResponseHopLimit": "1",
                    ]) { _, new in new }
                    let reply = try await client.query(.ec2, "RunInstances", region: region, parameters, idempotent: false)
                    guard let item = reply.list("instancesSet").first, let id = item.string("instanceId") else {
                        throw DriverError.malformedResponse(service: "ec2", action: "RunInstances", detail: "no instanceId")
                    }
                    launched = item
                    return CloudResource(cloudID: id)
                })
            let item: XMLNode
            if let launched, launched.string("instanceId") == created.cloudID, !(launched.string("placement", "hostId") ?? "").isEmpty {
                item = launched
            } else {
                item = try await describeInstance(created.cloudID, region: region)
            }
            let actual = item.string("placement", "hostId") ?? ""
            if actual != host {
                _ = try? await client.query(.ec2, "TerminateInstances", region: region, ["InstanceId.1": created.cloudID])
                throw DriverError.placementMismatch(address: address, wanted: host, actual: actual.isEmpty ? "(none)" : actual)
            }
            // Recorded as EC2 placed and booted it (the spec may leave zone and image to the driver).
            var made = spec
            made.host = actual
            made.zone = item.string("placement", "availabilityZone") ?? zone
            made.image = item.string("imageId") ?? image
            return CloudResource(cloudID: created.cloudID, attributes: made.attributes, outputs: Self.instanceOutputs(item))
        case .update:
            let spec = try Self.typed(InstanceSpec.self, request)
            guard var prior = request.prior else {
                throw DriverError.invalidSpec(address: address, reason: "update without a recorded instance")
            }
            // A record that does not decode (fewer keys, from an older release or a read-back) counts
            // as another firewall, as an absent key always did: the call is idempotent.
            if prior.recorded(InstanceSpec.self)?.firewall != spec.firewall {
                let group = try request.dependency(at: spec.firewall).cloudID
                _ = try await client.query(
                    .ec2, "ModifyInstanceAttribute", region: region, ["InstanceId": prior.cloudID, "GroupId.1": group])
            }
            // Only these change in place; the rest stays as recorded (host, zone and image as EC2 reported them).
            prior.attributes["firewall"] = spec.firewall.description
            prior.attributes["port"] = String(spec.port)
            return prior
        case .delete:
            guard let id = request.prior?.cloudID, !id.isEmpty else { return nil }
            try await deleteIgnoringMissing {
                _ = try await client.query(.ec2, "TerminateInstances", region: region, ["InstanceId.1": id])
            }
            return nil
        }
    }

    static func instanceOutputs(_ item: XMLNode) -> [String: String] {
        var outputs = ["instance_type": item.string("instanceType") ?? ""]
        if let ip = item.string("privateIpAddress") { outputs["private_ip"] = ip }
        // `required` (IMDSv2 only) for every instance made since 0.2.0; older ones show `optional`
        // until they are replaced (`state show`).
        if let tokens = item.string("metadataOptions", "httpTokens") { outputs["metadata_tokens"] = tokens }
        return outputs
    }

    /// DescribeInstances of one instance, retried while EC2 still says NotFound after the create.
    func describeInstance(_ id: String, region: String) async throws -> XMLNode {
        try await consistent {
            let reply = try await client.query(.ec2, "DescribeInstances", region: region, ["InstanceId.1": id])
            guard let item = reply.list("reservationSet").flatMap({ $0.list("instancesSet") }).first else {
                throw DriverError.api(service: "ec2", action: "DescribeInstances", status: 400, code: "InvalidInstanceID.NotFound", message: id)
            }
            return item
        }
    }

    /// The live instance made with this request's token, if any.
    func findInstance(_ request: ApplyRequest) async throws -> String? {
        let filters = Self.filters([
            ("tag:\(CatalyzeTag.operation)", [request.token]),
            ("tag:\(CatalyzeTag.address)", [request.spec.address.description]),
            ("instance-state-name", ["pending", "running", "stopping", "stopped"]),
        ])
        let pages = try await client.queryAll(.ec2, "DescribeInstances", region: request.spec.cloudRegion, filters)
        return pages.flatMap { $0.list("reservationSet").flatMap { $0.list("instancesSet") } }
            .compactMap { $0.string("instanceId") }.first
    }

    /// `image` (the spec's), else the configured default, else the region's newest Amazon Linux 2023
    /// x86_64 image (looked up once per region for the driver's life).
    func imageID(_ image: String, address: ResourceAddress, region: String) async throws -> String {
        if !image.isEmpty { return image }
        guard let id = try await defaultImage(region: region) else {
            throw DriverError.invalidSpec(address: address, reason: "no image given and no Amazon Linux 2023 image found in \(region)")
        }
        return id
    }

    /// The configured default image of `region`, else its newest Amazon Linux 2023 x86_64 image.
    func defaultImage(region: String) async throws -> String? {
        if let image = client.configuration.defaultImages[region] { return image }
        let client = self.client
        return try await facts.images.value(region) {
            var parameters = Self.filters([("name", ["al2023-ami-2023*-x86_64"]), ("state", ["available"])])
            parameters["Owner.1"] = "amazon"
            let reply = try await client.query(.ec2, "DescribeImages", region: region, parameters)
            let newest = reply.list("imagesSet").max { ($0.string("creationDate") ?? "", $0.string("name") ?? "") < ($1.string("creationDate") ?? "", $1.string("name") ?? "") }
            return newest?.string("imageId")
        }
    }

    /// Starts reading what instance creates in `region` will need (its hosts, its default image)
    /// ahead of them, e.g. when a new pod's network is being made, without holding that up: the
    /// instance creates join the reads in flight. Failures are left for the creates to meet.
    func prepareInstances(region: String) {
        let driver = self
        Task {
            async let hosts = try? driver.regionHosts(region)
            async let image = try? driver.defaultImage(region: region)
            _ = await (hosts, image)
        }
    }

    /// A dedicated host's instance family, zone and single instance type, nil when the region has
    /// no such host. The region's hosts are listed once (one DescribeHosts, paginated) for the
    /// driver's life; a host allocated since is described on its own.
    func dedicatedHost(_ host: String, region: String) async throws -> DedicatedHostFacts? {
        var known = try await regionHosts(region)
        if known[host] == nil {
            let reply = try await client.query(.ec2, "DescribeHosts", region: region, ["HostId.1": host])
            let one = Self.hostFacts(reply.list("hostSet"))
            await facts.hosts.merge(region, one)
            known.merge(one) { _, new in new }
        }
        return known[host]
    }

    /// The region's dedicated hosts by host id (one DescribeHosts, paginated, per region for the
    /// driver's life).
    func regionHosts(_ region: String) async throws -> [String: DedicatedHostFacts] {
        let client = self.client
        return try await facts.hosts.value(region) {
            Self.hostFacts(try await client.queryAll(.ec2, "DescribeHosts", region: region).flatMap { $0.list("hostSet") })
        }
    }

    /// A DescribeHosts item's instance family: `InstanceFamily`, or for a host allocated for one
    /// type (EC2 reports no family for it) that type's family.
    static func hostFamily(_ item: XMLNode) -> String {
        item.string("hostProperties", "instanceFamily")
            ?? item.string("hostProperties", "instanceType")?.split(separator: ".").first.map(String.init) ?? ""
    }

    /// The facts of DescribeHosts items by host id. A host allocated for one instance type
    /// (`HostProperties.InstanceType`, EC2 reports no family for it) runs only that type: its family
    /// is the type's, and the type is kept so a launch asks for exactly it.
    static func hostFacts(_ items: [XMLNode]) -> [String: DedicatedHostFacts] {
        var found: [String: DedicatedHostFacts] = [:]
        for item in items {
            guard let id = item.string("hostId") else { continue }
            found[id] = DedicatedHostFacts(
                family: hostFamily(item), zone: item.string("availabilityZone") ?? "",
                instanceType: item.string("hostProperties", "instanceType") ?? "")
        }
        return found
    }
}
