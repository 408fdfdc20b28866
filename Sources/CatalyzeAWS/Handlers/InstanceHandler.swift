import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// instance: one EC2 instance on exactly its dedicated host (see `AWSDriver.applyInstance`); read
/// back from the pod's live instances (DescribeInstances); tagged on the instance.
struct InstanceHandler: EC2TaggedHandler {
    var kind: ResourceKind { .instance }
    // The pod's volumes too: a root volume carries the pod's tag (not an address), so its
    // encryption is read back from the list the volume handler reads anyway, with no call of its own.
    var lists: Set<AWSListCall> { [.ec2(.instances), .ec2(.volumes)] }

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
            if let root = AWSDriver.rootVolume(of: instance, in: batch[.volumes]) {
                attributes["root_key"] = AWSDriver.rootKeyAttribute(root, addresses: live.addresses)
            }
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
            // The root volume is encrypted at launch with the pod's key, named by its ARN (the
            // key's record carries it; its id works too, as EBS accepts either).
            let rootKeyARN = try spec.rootKey.map { key -> String in
                let made = try request.dependency(at: key)
                return made.outputs["arn"].flatMap { $0.isEmpty ? nil : $0 } ?? made.cloudID
            }
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
            var root: RootDevice?
            if rootKeyARN != nil { root = try await rootDevice(image: image, address: address, region: region) }
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
                    if let rootKeyARN, let root {
                        parameters.merge(Self.encryptedRoot(root, keyARN: rootKeyARN, request: request)) { _, new in new }
                    }
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
            var outputs = Self.instanceOutputs(item)
            if let rootKeyARN, let key = spec.rootKey {
                let volume = try await confirmEncryptedRoot(of: created.cloudID, launched: item, keyARN: rootKeyARN, address: address, region: region)
                outputs["root_volume_id"] = volume.id
                outputs["root_kms_key_id"] = volume.kmsKeyID
                made.rootKey = key
            }
            return CloudResource(cloudID: created.cloudID, attributes: made.attributes, outputs: outputs)
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

extension AWSDriver {
    /// Tag on a root volume naming its instance's address. Not `catalyze:address`: the volume is
    /// part of the instance, not a resource of its own, so refresh reports it under no address.
    static let rootOfTag = "catalyze:root-of"

    /// RunInstances parameters that encrypt the root volume with `keyARN`: a block device mapping of
    /// the image's root device (EC2 API reference, RunInstances `BlockDeviceMapping.N` and
    /// `EbsBlockDevice`: `Encrypted`, `KmsKeyId`, `DeleteOnTermination`, `VolumeSize`, `VolumeType`),
    /// deleted with the instance as an image's root is, and the volume tagged with the pod's tags and
    /// its instance's address (`TagSpecification` of type `volume`, applied at launch).
    static func encryptedRoot(_ root: RootDevice, keyARN: String, request: ApplyRequest) -> [String: String] {
        var parameters = [
            "BlockDeviceMapping.1.DeviceName": root.name, "BlockDeviceMapping.1.Ebs.Encrypted": "true",
            "BlockDeviceMapping.1.Ebs.KmsKeyId": keyARN, "BlockDeviceMapping.1.Ebs.DeleteOnTermination": "true",
            "BlockDeviceMapping.1.Ebs.VolumeType": "gp3",
        ]
        if let size = root.sizeGiB { parameters["BlockDeviceMapping.1.Ebs.VolumeSize"] = String(size) }
        var tags = [CatalyzeTag.pod: request.pod, rootOfTag: request.spec.address.description, "Name": "\(request.pod)-\(request.spec.address.name)-root"]
        if let lineage = request.lineage { tags[CatalyzeTag.lineage] = lineage }
        for (n, (key, value)) in tags.sorted(by: { $0.key < $1.key }).enumerated() {
            parameters["TagSpecification.2.ResourceType"] = "volume"
            parameters["TagSpecification.2.Tag.\(n + 1).Key"] = key
            parameters["TagSpecification.2.Tag.\(n + 1).Value"] = value
        }
        return parameters
    }

    /// The root device of `image` in `region` (DescribeImages, once per image and region for the
    /// driver's life).
    func rootDevice(image: String, address: ResourceAddress, region: String) async throws -> RootDevice {
        let client = self.client
        return try await facts.rootDevices.value("\(region) \(image)") {
            let reply = try await client.query(.ec2, "DescribeImages", region: region, ["ImageId.1": image])
            guard let item = reply.list("imagesSet").first, let name = item.string("rootDeviceName"), !name.isEmpty else {
                throw DriverError.invalidSpec(address: address, reason: "image \(image) in \(region) reports no root device name")
            }
            let mapping = item.list("blockDeviceMapping").first { $0.string("deviceName") == name }
            return RootDevice(name: name, sizeGiB: mapping?.string("ebs", "volumeSize").flatMap { Int($0) })
        }
    }

    /// The root volume of a launched instance (its root device's mapping), confirmed encrypted with
    /// `keyARN` by DescribeVolumes, as EBS checks the key only after the launch. An instance whose
    /// root is not so encrypted is terminated and `failedState` thrown: catalyze never leaves a host
    /// with a plaintext root behind a plan that promised an encrypted one.
    func confirmEncryptedRoot(
        of instance: String, launched: XMLNode, keyARN: String, address: ResourceAddress, region: String
    ) async throws -> (id: String, kmsKeyID: String) {
        var item = launched
        if Self.rootVolumeID(of: item) == nil { item = try await describeInstance(instance, region: region) }
        guard let volumeID = Self.rootVolumeID(of: item) else {
            throw DriverError.failedState(address: address, state: "no root volume", detail: "instance \(instance) reports no root volume")
        }
        let volume = try await consistent { () -> XMLNode in
            let reply = try await client.query(.ec2, "DescribeVolumes", region: region, ["VolumeId.1": volumeID])
            guard let volume = reply.list("volumeSet").first else {
                throw DriverError.api(service: "ec2", action: "DescribeVolumes", status: 400, code: "InvalidVolume.NotFound", message: volumeID)
            }
            return volume
        }
        let kms = volume.string("kmsKeyId") ?? ""
        guard volume.string("encrypted") == "true", Self.sameKey(kms, keyARN) else {
            _ = try? await client.query(.ec2, "TerminateInstances", region: region, ["InstanceId.1": instance])
            throw DriverError.failedState(
                address: address, state: "unencrypted root",
                detail: "root volume \(volumeID) of instance \(instance) is not encrypted with \(keyARN) (kmsKeyId \(kms.isEmpty ? "none" : kms)); the instance was terminated")
        }
        return (volumeID, kms)
    }

    /// The volume id of an instance's root device (`rootDeviceName` in `blockDeviceMapping`), or
    /// of its only mapping when EC2 names no root device.
    static func rootVolumeID(of instance: XMLNode) -> String? {
        let mappings = instance.list("blockDeviceMapping")
        let root = instance.string("rootDeviceName").flatMap { name in mappings.first { $0.string("deviceName") == name } }
            ?? (mappings.count == 1 ? mappings.first : nil)
        return root?.string("ebs", "volumeId")
    }

    /// The root volume of `instance` among `volumes` (a refresh's pod volume list), if listed.
    static func rootVolume(of instance: XMLNode, in volumes: [XMLNode]) -> XMLNode? {
        guard let id = rootVolumeID(of: instance) else { return nil }
        return volumes.first { $0.string("volumeId") == id }
    }

    /// An instance's `root_key` as refresh reads it: the address of the pod's key that encrypts the
    /// root volume, else empty (unencrypted, or under a key that is not the pod's: drift).
    static func rootKeyAttribute(_ volume: XMLNode, addresses: [String: ResourceAddress]) -> String {
        guard volume.string("encrypted") == "true", let kms = volume.string("kmsKeyId"), !kms.isEmpty else { return "" }
        return (addresses[kms] ?? addresses[String(kms.split(separator: "/").last ?? "")])?.description ?? ""
    }

    /// True when two KMS key references (an ARN or a key id) name the same key.
    static func sameKey(_ a: String, _ b: String) -> Bool {
        func id(_ text: String) -> String { String(text.split(separator: "/").last ?? Substring(text)) }
        return !a.isEmpty && !b.isEmpty && (a == b || id(a) == id(b))
    }
}
