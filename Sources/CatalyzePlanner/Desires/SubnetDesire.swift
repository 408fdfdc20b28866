import CatalyzeManifest
import CatalyzeModel

/// The subnets of a network catalyze makes, beyond the network's own (the first zone's private
/// subnet, `network.main`): `subnet.private-2` in a second zone, always, so that an internal load
/// balancer spans two zones; `subnet.public-1` and `subnet.public-2` when the region's load balancer
/// is internet-facing (AWS requires two zones for an application load balancer and public subnets
/// for an internet-facing one). None for an existing VPC, which brings its own subnets.
enum SubnetDesire: KindDesire {
    static var kind: ResourceKind { .subnet }

    static func resources(in r: RegionDesire) -> [ResourceSpec] {
        guard let layout = r.networkLayout else { return [] }
        var specs = [r.spec("private-2", SubnetSpec(network: layout.network, cidr: layout.blocks[0], zone: layout.zones[1], tier: .private))]
        if layout.internetFacing {
            specs.append(r.spec("public-1", SubnetSpec(network: layout.network, cidr: layout.blocks[1], zone: layout.zones[0], tier: .public)))
            specs.append(r.spec("public-2", SubnetSpec(network: layout.network, cidr: layout.blocks[2], zone: layout.zones[1], tier: .public)))
        }
        return specs
    }
}

/// How a region's network is laid out when catalyze makes it, for the desires of its subnets,
/// gateway, route tables, endpoint and load balancer.
struct NetworkLayout {
    /// `network.main`.
    var network: ResourceAddress
    /// The two zones: the pod's zone (the network's own subnet's) and a second one.
    var zones: [String]
    /// The blocks of `private-2`, `public-1` and `public-2`: the three of the network's own subnet's
    /// size that follow it. The first is the block 0.1.0 gave an application load balancer's second
    /// subnet, which `subnet.private-2` takes over (see `SubnetHandler`).
    var blocks: [String]
    /// Whether the region's load balancer is internet-facing (public subnets, an internet gateway).
    var internetFacing: Bool

    /// The private subnets: the network's own and `subnet.private-2`.
    var privateSubnets: [ResourceAddress] { [network, network.sibling(.subnet, "private-2")] }
    /// The public subnets (none for an internal balancer).
    var publicSubnets: [ResourceAddress] {
        internetFacing ? [network.sibling(.subnet, "public-1"), network.sibling(.subnet, "public-2")] : []
    }
}

extension ResourceAddress {
    /// `<kind>.<name>` in this address's region.
    func sibling(_ kind: ResourceKind, _ name: String) -> ResourceAddress { ResourceAddress(region: region, kind: kind, name: name) }
}

extension RegionDesire {
    /// The region's network layout; nil when the network is an existing VPC, the cloud has no
    /// separate subnets (`subnet` is not offered) or the network has no room for three more blocks
    /// of its subnet's size (the load balancer then uses the network's subnets, as before 0.2.0).
    var networkLayout: NetworkLayout? {
        guard ResourceKind.subnet.isOffered(by: provider), DesiredState.networkSource(region) == nil else { return nil }
        let network = manifest.network
        var blocks: [String] = []
        var block = network.subnetCidr
        for _ in 0..<3 {
            guard let next = block.following(inside: network.cidr), next != network.subnetCidr, !blocks.contains(next.description) else { return nil }
            blocks.append(next.description)
            block = next
        }
        return NetworkLayout(
            network: ref(.network, "main"), zones: [zone, region.zones.dropFirst().first ?? Self.secondZone(after: zone)], blocks: blocks,
            internetFacing: manifest.loadBalancer.scheme != "internal")
    }

    /// A zone of the same region besides `zone`: AWS names a region's zones by a trailing letter
    /// (`us-east-1a`, `us-east-1b`, …) and every commercial region has `a` and `b`; a manifest
    /// that needs others names them (`regions[].zones`).
    static func secondZone(after zone: String) -> String {
        guard let last = zone.last, last.isLetter else { return zone + "b" }
        return String(zone.dropLast()) + (last == "a" ? "b" : "a")
    }
}

extension CIDR {
    /// The block of this size that follows this one inside `network`, wrapping to the network's
    /// start; nil when this block is not inside `network` or fills it.
    func following(inside network: CIDR) -> CIDR? {
        guard network.contains(self), prefix > network.prefix else { return nil }
        let size = UInt64(1) << UInt64(32 - prefix)
        let start = UInt64(network.value)
        let end = start + (UInt64(1) << UInt64(32 - network.prefix))
        var next = UInt64(value) + size
        if next >= end { next = start }
        let v = UInt32(next)
        return CIDR(parsing: "\(v >> 24).\(v >> 16 & 255).\(v >> 8 & 255).\(v & 255)/\(prefix)")
    }
}
