import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// `CloudDriver.tag` on Rackspace: catalyze's tags set or removed in place where each service keeps them:
///
/// | kind | where | calls |
/// |---|---|---|
/// | instance | the server's metadata | Nova `PUT servers/{id}/metadata/{key}` per key set; `GET` + `PUT servers/{id}/metadata` to remove |
/// | network, firewall | the Neutron network's / security group's `description` (`key=value;…`) | `GET` + `PUT networks/{id}` (`security-groups/{id}`) |
/// | volume | the Cinder volume's metadata | `GET` + `PUT volumes/{id}` with the merged metadata |
/// | load_balancer | the CLB's metadata items | `GET loadbalancers/{id}/metadata`, then `PUT …/metadata/{metaId}` or `POST …/metadata` |
/// | backup_plan | each configuration's `ConfigurationName` (`key=value;…`) | `GET` + `PUT backup-configuration/{id}` |
/// | firewall_rule, attachment, lb_target, key | nothing of their own | none: they carry their group's, volume's or server's lineage |
///
/// Monitoring entities get the server's tags when made; they are not re-tagged (the server is the resource).
extension RackspaceDriver {
    /// Sets `request.set` and removes `request.remove` on the resource's objects.
    public func tag(_ request: TagRequest) async throws -> TagResponse {
        let region = request.region
        let id = request.resource.cloudID
        switch request.kind {
        case .instance:
            for (key, value) in request.set.sorted(by: { $0.key < $1.key }) {
                _ = try await client.call(
                    .compute, "PUT", "servers/\(id)/metadata/\(key)", body: ["meta": [key: .string(value)]],
                    region: region, action: "SetServerMetadataItem")
            }
            if !request.remove.isEmpty {
                // Nova's "replace metadata" (PUT servers/{id}/metadata) with the keys left out: one
                // call however many keys go (mimic has no per-key DELETE).
                let current = try await client.call(.compute, "GET", "servers/\(id)/metadata", region: region, action: "ListServerMetadata")
                let metadata = Self.merged(current.body["metadata"].stringMembers, request)
                _ = try await client.call(
                    .compute, "PUT", "servers/\(id)/metadata", body: ["metadata": .strings(metadata)], region: region,
                    action: "ReplaceServerMetadata")
            }
            return TagResponse(objects: 1)
        case .network, .firewall:
            let (collection, key) = request.kind == .network ? ("networks", "network") : ("security-groups", "security_group")
            let current = try await client.call(.network, "GET", "\(collection)/\(id)", region: region, action: "Show\(key)")
            let tags = Self.merged(Self.undescribe(current.body[key]["description"].string), request)
            _ = try await client.call(
                .network, "PUT", "\(collection)/\(id)", body: .object([key: ["description": .string(Self.describe(tags))]]),
                region: region, action: "Update\(key)")
            return TagResponse(objects: 1)
        case .volume:
            let current = try await client.call(.blockStorage, "GET", "volumes/\(id)", region: region, action: "ShowVolume")
            let metadata = Self.merged(current.body["volume"]["metadata"].stringMembers, request)
            _ = try await client.call(
                .blockStorage, "PUT", "volumes/\(id)", body: ["volume": ["metadata": .strings(metadata)]], region: region,
                action: "UpdateVolume")
            return TagResponse(objects: 1)
        case .loadBalancer:
            let listed = try await client.call(.loadBalancers, "GET", "loadbalancers/\(id)/metadata", region: region, action: "ListMetadata")
            var items: [String: String] = [:]  // key → metadata item id
            for item in listed.body["metadata"].array {
                if let key = item["key"].string, let itemID = item["id"].int.map(String.init) ?? item["id"].string { items[key] = itemID }
            }
            var added: [JSONValue] = []
            for (key, value) in request.set.sorted(by: { $0.key < $1.key }) {
                if let itemID = items[key] {
                    _ = try await sendChange(
                        balancer: id, address: request.address, "PUT", "loadbalancers/\(id)/metadata/\(itemID)",
                        body: ["meta": ["value": .string(value)]], region: region, action: "UpdateMetadataItem")
                } else {
                    added.append(["key": .string(key), "value": .string(value)])
                }
            }
            if !added.isEmpty {
                _ = try await sendChange(
                    balancer: id, address: request.address, "POST", "loadbalancers/\(id)/metadata",
                    body: ["metadata": .array(added)], region: region, action: "AddMetadata")
            }
            for key in request.remove.sorted() {
                guard let itemID = items[key] else { continue }
                _ = try await sendChange(
                    balancer: id, address: request.address, "DELETE", "loadbalancers/\(id)/metadata/\(itemID)", region: region,
                    action: "DeleteMetadataItem", expected: [200, 202, 204, 404])
            }
            return TagResponse(objects: 1)
        case .backupPlan:
            let ids = id.split(separator: ",").map(String.init)
            for configurationID in ids {
                let current = try await client.call(
                    .backup, "GET", "backup-configuration/\(configurationID)", region: region, action: "GetBackupConfiguration")
                guard case .object(var body) = current.body else { continue }
                let tags = Self.merged(Self.undescribe(body["ConfigurationName"]?.string), request)
                body["ConfigurationName"] = .string(Self.describe(tags))
                _ = try await client.call(
                    .backup, "PUT", "backup-configuration/\(configurationID)", body: .object(body), region: region,
                    action: "UpdateBackupConfiguration")
            }
            return TagResponse(objects: ids.count)
        default:  // firewall_rule, attachment, lb_target, key, vpn: nothing of theirs carries tags
            return TagResponse(objects: 0)
        }
    }

    /// `tags` with the request's tags set and removed.
    static func merged(_ tags: [String: String], _ request: TagRequest) -> [String: String] {
        var result = tags.merging(request.set) { _, new in new }
        for key in request.remove { result[key] = nil }
        return result
    }
}
