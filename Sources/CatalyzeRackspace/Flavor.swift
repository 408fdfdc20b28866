import CatalyzeDrivers
import Foundation

/// A Cloud Servers flavor: the size a server gets.
struct Flavor: Sendable, Hashable {
    var id: String
    var name: String
    var vcpus: Int
    var ramMiB: Int
    var diskGiB: Int

    init?(_ json: JSONValue) {
        guard let id = json["id"].string, let vcpus = json["vcpus"].int, let ram = json["ram"].int else { return nil }
        self.id = id
        name = json["name"].string ?? id
        self.vcpus = vcpus
        ramMiB = ram
        diskGiB = json["disk"].int ?? 0
    }

    /// The smallest flavor (by memory, then vCPUs, then id) with at least `vcpu` and `memoryMiB`.
    static func choose(from flavors: [Flavor], vcpu: Int, memoryMiB: Int) -> Flavor? {
        flavors.filter { $0.vcpus >= vcpu && $0.ramMiB >= memoryMiB }.min { ($0.ramMiB, $0.vcpus, $0.id) < ($1.ramMiB, $1.vcpus, $1.id) }
    }
}

extension RackspaceDriver {
    /// The region's flavors (listed once per driver).
    func flavors(region: String) async throws -> [Flavor] {
        if let cached = await caches.flavors[region] { return cached }
        let reply = try await client.call(.compute, "GET", "flavors/detail", region: region, action: "ListFlavors")
        let list = reply.body["flavors"].array.compactMap(Flavor.init)
        await caches.setFlavors(list, region: region)
        return list
    }

    /// The image for an instance: its `image` attribute, else the configured default, else the first
    /// image (by name) whose name contains `Ubuntu`.
    func imageID(_ wanted: String, region: String) async throws -> String {
        if !wanted.isEmpty { return wanted }
        var list = await caches.images[region]
        if list == nil {
            let reply = try await client.call(.compute, "GET", "images/detail", region: region, action: "ListImages")
            let parsed = reply.body["images"].array.compactMap { image -> (id: String, name: String)? in
                guard let id = image["id"].string else { return nil }
                return (id, image["name"].string ?? id)
            }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
            await caches.setImages(parsed, region: region)
            list = parsed
        }
        let images = list ?? []
        if let configured = configuration.defaultImage {
            if let match = images.first(where: { $0.id == configured || $0.name == configured }) { return match.id }
            return configured
        }
        guard let image = images.first(where: { $0.name.contains("Ubuntu") }) ?? images.first else {
            throw DriverError.malformedResponse(service: "compute", action: "ListImages", detail: "the region lists no image")
        }
        return image.id
    }
}
