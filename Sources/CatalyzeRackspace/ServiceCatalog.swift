import CatalyzeDrivers
import Foundation

/// The Identity v2 service catalog: which URL serves which API in which region.
///
/// Every endpoint catalyze calls comes from here (mimic's URLs change on every start; Rackspace's
/// differ per account).
public struct ServiceCatalog: Sendable, Hashable {
    /// One catalog entry's endpoint.
    public struct Endpoint: Sendable, Hashable {
        /// Service type, e.g. `compute`, `rax:load-balancer`.
        public var type: String
        /// Service name, e.g. `cloudServersOpenStack`.
        public var name: String
        /// Region, empty for a global service.
        public var region: String
        /// The public URL.
        public var url: URL
    }

    /// All endpoints, in catalog order.
    public var endpoints: [Endpoint]

    /// Reads the `access.serviceCatalog` of a token response.
    init(access: JSONValue) {
        var endpoints: [Endpoint] = []
        for service in access["serviceCatalog"].array {
            let type = service["type"].string ?? ""
            let name = service["name"].string ?? ""
            for endpoint in service["endpoints"].array {
                guard let text = endpoint["publicURL"].string, let url = URL(string: text) else { continue }
                endpoints.append(Endpoint(type: type, name: name, region: endpoint["region"].string ?? "", url: url))
            }
        }
        self.endpoints = endpoints
    }

    /// The URL of service `name` (or, failing that, of the only service of `type`) in `region`,
    /// falling back to a global endpoint. Throws `DriverError.unknownRegion` when there is none.
    public func url(type: String, name: String?, region: String) throws -> URL {
        let ofType = endpoints.filter { $0.type == type }
        let named = name.map { wanted in ofType.filter { $0.name == wanted } } ?? []
        let candidates = named.isEmpty ? ofType : named
        if let exact = candidates.first(where: { $0.region.caseInsensitiveCompare(region) == .orderedSame }) {
            return exact.url
        }
        if let global = candidates.first(where: { $0.region.isEmpty }) { return global.url }
        let regions = Set(candidates.map(\.region)).sorted()
        throw DriverError.unknownRegion(
            "\(region) (the Rackspace catalog has \(name ?? type) only in \(regions.isEmpty ? "no region" : regions.joined(separator: ", ")))")
    }
}
