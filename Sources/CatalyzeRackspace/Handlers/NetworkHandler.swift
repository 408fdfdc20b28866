import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// `network`: a Neutron network plus one subnet.
///
/// Neutron resources carry no key/value metadata, so catalyze's tags live in each resource's
/// `description` as `key=value;…` (`catalyze:pod`, `catalyze:address`, `catalyze:op`, plus the
/// attributes the API cannot report otherwise, e.g. a network's `cidr` and `zone`); the same holds
/// for firewalls and their rules (`SecurityGroupHandler`, `SecurityGroupRuleHandler`).
struct NetworkHandler: RackspaceResourceHandler {
    var kind: ResourceKind { .network }
    var lists: Set<RackspaceList> { [.get(.networks), .get(.subnets)] }

    func apply(_ request: ApplyRequest, driver: RackspaceDriver, region: String) async throws -> ApplyResponse {
        try await driver.applyNetwork(request, region: region)
    }

    /// Each pod network with its (first) subnet.
    func read(_ batch: RackspaceBatch, into found: inout [LiveResource]) {
        for network in batch[.networks] {
            let subnet = batch[.subnets].first { $0["network_id"] == network["id"] }
            if let live = RackspaceDriver.live(
                RackspaceDriver.undescribe(network["description"].string), pod: batch.pod, kind: .network,
                resource: RackspaceDriver.networkResource(network, subnet: subnet))
            {
                found.append(live)
            }
        }
    }

    /// The network's `description` (`key=value;…`): `GET` + `PUT networks/{id}`.
    func tag(_ request: TagRequest, driver: RackspaceDriver) async throws -> TagResponse {
        try await driver.retagDescription(request, collection: "networks", key: "network")
    }
}

extension RackspaceDriver {
    func applyNetwork(_ request: ApplyRequest, region: String) async throws -> ApplyResponse {
        switch request.operation {
        case .create, .update:
            if request.operation == .update, let prior = request.prior {
                return ApplyResponse(resource: prior)  // every network attribute forces replacement
            }
            guard case let .made(cidr, subnetCIDR, zone) = try request.typed(NetworkSpec.self).source else {
                throw DriverError.invalidSpec(address: request.spec.address, reason: "Rackspace cannot adopt an existing network (vpc)")
            }
            let networks = try await client.call(.network, "GET", "networks", region: region, action: "ListNetworks").body["networks"].array
            var network = networks.first { Self.undescribe($0["description"].string)[CatalyzeTag.operation] == request.token }
            if network == nil {
                var tags = Self.tags(request)
                tags["catalyze:cidr"] = cidr
                tags["catalyze:zone"] = zone
                let body: JSONValue = ["network": ["name": .string(Self.cloudName(request)), "description": .string(Self.describe(tags))]]
                network = try await client.call(.network, "POST", "networks", body: body, region: region, action: "CreateNetwork").body["network"]
            }
            guard let networkID = network?["id"].string else {
                throw DriverError.malformedResponse(service: "network", action: "CreateNetwork", detail: "no network id")
            }
            let subnets = try await client.call(
                .network, "GET", "subnets", query: [URLQueryItem(name: "network_id", value: networkID)], region: region,
                action: "ListSubnets"
            ).body["subnets"].array.filter { $0["network_id"].string == networkID }
            var subnet = subnets.first
            if subnet == nil, !subnetCIDR.isEmpty {
                let body: JSONValue = [
                    "subnet": [
                        "network_id": .string(networkID), "cidr": .string(subnetCIDR), "ip_version": 4,
                        "name": .string(Self.cloudName(request)),
                    ]
                ]
                subnet = try await client.call(.network, "POST", "subnets", body: body, region: region, action: "CreateSubnet").body["subnet"]
            }
            return ApplyResponse(resource: Self.networkResource(network ?? .null, subnet: subnet))
        case .delete:
            let id = try priorID(request)
            _ = try await client.call(.network, "DELETE", "networks/\(id)", region: region, action: "DeleteNetwork", expected: [200, 202, 204, 404])
            return ApplyResponse(resource: nil)
        }
    }

    static func networkResource(_ network: JSONValue, subnet: JSONValue?) -> CloudResource {
        let tags = undescribe(network["description"].string)
        var attributes: [String: String] = [:]
        attributes["cidr"] = tags["catalyze:cidr"]
        attributes["zone"] = tags["catalyze:zone"]
        attributes["subnet_cidr"] = subnet?["cidr"].string
        var outputs: [String: String] = [:]
        outputs["subnet_id"] = subnet?["id"].string
        outputs["name"] = network["name"].string
        return CloudResource(cloudID: network["id"].string ?? "", attributes: attributes, outputs: outputs)
    }
}
