import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// `CloudDriver.tag` on Rackspace: catalyze's tags set or removed in place where each service keeps
/// them, by the kind's handler (each handler's `tag` says where and with which calls): a server's
/// metadata, a Neutron network's or security group's `description` (`key=value;…`), a Cinder
/// volume's metadata, a CLB's metadata items, each backup configuration's `ConfigurationName`.
/// Firewall rules, attachments, load-balancer targets and keys have nothing of their own: they
/// carry their group's, volume's or server's lineage.
///
/// Monitoring entities get the server's tags when made; they are not re-tagged (the server is the resource).
extension RackspaceDriver {
    /// Sets `request.set` and removes `request.remove` on the resource's objects.
    public func tag(_ request: TagRequest) async throws -> TagResponse {
        try await RackspaceHandlers.handler(for: request.kind, address: request.address).tag(request, driver: self)
    }

    /// `tags` with the request's tags set and removed.
    static func merged(_ tags: [String: String], _ request: TagRequest) -> [String: String] {
        var result = tags.merging(request.set) { _, new in new }
        for key in request.remove { result[key] = nil }
        return result
    }

    /// Re-tags a Neutron network or security group: its `description` read (`GET {collection}/{id}`),
    /// merged and written back (`PUT`).
    func retagDescription(_ request: TagRequest, collection: String, key: String) async throws -> TagResponse {
        let (region, id) = (request.region, request.resource.cloudID)
        let current = try await client.call(.network, "GET", "\(collection)/\(id)", region: region, action: "Show\(key)")
        let tags = Self.merged(Self.undescribe(current.body[key]["description"].string), request)
        _ = try await client.call(
            .network, "PUT", "\(collection)/\(id)", body: .object([key: ["description": .string(Self.describe(tags))]]),
            region: region, action: "Update\(key)")
        return TagResponse(objects: 1)
    }
}
