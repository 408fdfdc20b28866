import CatalyzeModel

/// `vpn.main` in every region when the manifest names a VPN peer.
enum VPNDesire: KindDesire {
    static var kind: ResourceKind { .vpn }

    static func resources(in r: RegionDesire) -> [ResourceSpec] {
        guard let vpn = r.manifest.firewall.vpn else { return [] }
        return [r.spec("main", VPNSpec(
            // Sorted and unique, as a refresh reads the routes back: manifest order is no change.
            network: r.ref(.network, "main"), peerIP: vpn.peer, remoteCIDRs: Set(vpn.remoteCidrs.map(\.description)).sorted()))]
    }
}
