import CatalyzeCore
import CatalyzeModel

/// A value a script reads from an applied pod (`catalyze output`): where to reach it.
public struct PodOutput: Hashable, Sendable {
    /// `primary.load_balancer`, `primary.app01.private_ip`: the region, then what, dot-separated.
    public var name: String
    /// The value as the cloud reported it (a DNS name or an address).
    public var value: String
    /// The lockfile resource it comes from.
    public var address: ResourceAddress
    /// One line saying what it is.
    public var summary: String

    /// Creates an output.
    public init(name: String, value: String, address: ResourceAddress, summary: String) {
        self.name = name
        self.value = value
        self.address = address
        self.summary = summary
    }
}

extension Lockfile {
    /// The pod's outputs, sorted by name: each load balancer's public endpoint (AWS: its DNS name;
    /// Rackspace: its virtual IP) and each instance's private address. Resources whose cloud
    /// reported no such value (not yet applied, or deleted) give none.
    public var outputs: [PodOutput] {
        var found: [PodOutput] = []
        for record in sortedRecords {
            let region = record.address.region, name = record.address.name
            switch record.kind {
            case .loadBalancer:
                let label = name == "main" ? "\(region).load_balancer" : "\(region).load_balancer.\(name)"
                if let dns = record.outputs["dns_name"], !dns.isEmpty {
                    found.append(PodOutput(name: label, value: dns, address: record.address,
                                           summary: "the load balancer's DNS name (\(record.provider.rawValue) \(record.cloudRegion))"))
                } else if let vip = record.outputs["vip"], !vip.isEmpty {
                    found.append(PodOutput(name: label, value: vip, address: record.address,
                                           summary: "the load balancer's public IPv4 address (\(record.provider.rawValue) \(record.cloudRegion))"))
                }
            case .instance:
                if let ip = record.outputs["private_ip"], !ip.isEmpty {
                    let role = record.attributes["role"].map { " (\($0))" } ?? ""
                    found.append(PodOutput(name: "\(region).\(name).private_ip", value: ip, address: record.address,
                                           summary: "\(name)\(role)'s private address, over the pod's VPN"))
                }
            default:
                continue
            }
        }
        return found.sorted { $0.name < $1.name }
    }
}
