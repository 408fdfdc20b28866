import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// Networks (Neutron network + subnet), firewalls (security groups) and their rules.
///
/// Neutron resources carry no key/value metadata, so catalyze's tags live in each resource's
/// `description` as `key=value;…` (`catalyze:pod`, `catalyze:address`, `catalyze:op`, plus the
/// attributes the API cannot report otherwise, e.g. a network's `cidr` and `zone`).
extension RackspaceDriver {
    func applyNetwork(_ request: ApplyRequest, region: String) async throws -> ApplyResponse {
        switch request.operation {
        case .create, .update:
            if request.operation == .update, let prior = request.prior {
                return ApplyResponse(resource: prior)  // every network attribute forces replacement
            }
            let networks = try await client.call(.network, "GET", "networks", region: region, action: "ListNetworks").body["networks"].array
            var network = networks.first { Self.undescribe($0["description"].string)[CatalyzeTag.operation] == request.token }
            if network == nil {
                var tags = Self.tags(request)
                tags["catalyze:cidr"] = request.spec.attributes["cidr"]
                tags["catalyze:zone"] = request.spec.attributes["zone"]
                let body: JSONValue = ["network": ["name": .string(Self.cloudName(request)), "description": .string(Self.describe(tags))]]
                network = try await client.call(.network, "POST", "networks", body: body, region: region, action: "CreateNetwork").body["network"]
            }
            guard let networkID = network?["id"].string else {
                throw DriverError.malformedResponse(service: "network", action: "CreateNetwork", detail: "no network id")
            }
            let subnetCIDR = request.spec.attributes["subnet_cidr"] ?? ""
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

    /// `vpn`: Rackspace sells site-to-site VPN as a managed (RackConnect) service with no public
    /// API, so the driver refuses it with a clear message instead of pretending.
    func applyVPN(_ request: ApplyRequest, region: String) async throws -> ApplyResponse {
        if request.operation == .delete { return ApplyResponse(resource: nil) }
        throw DriverError.invalidSpec(
            address: request.spec.address,
            reason: "Rackspace has no site-to-site VPN API (it is a managed RackConnect service); place the VPN on AWS or order it from Rackspace")
    }
}
