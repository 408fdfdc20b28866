import CatalyzeCore
import CatalyzeModel

/// The subnet lies inside the pod network (and, when a region on a cloud that adds a second subnet
/// makes it, `CloudCapabilities.secondSubnet`: AWS, leaves room for that subnet of its size); the VPN's remote networks do not overlap it.
struct NetworkRule: ManifestRule {
    func check(_ manifest: PodManifest, _ context: RuleContext) -> [ManifestDiagnostic] {
        guard context.clean("network", "firewall") else { return [] }
        var found: [ManifestDiagnostic] = []
        let network = manifest.network
        if !network.cidr.contains(network.subnetCidr) {
            found.append(.init(.invalidValue(path: "network.subnetCidr", value: network.subnetCidr.description,
                                             expected: "a block inside \(network.cidr)"),
                               at: context.location("network.subnetCidr")))
        } else if network.subnetCidr.prefix <= network.cidr.prefix,
                  context.clean("regions"), manifest.regions.contains(where: { $0.provider.capabilities.secondSubnet && $0.network == nil }) {
            // On AWS the network gets a second subnet of the same size in another zone (for the ALB).
            found.append(.init(.invalidValue(path: "network.subnetCidr", value: network.subnetCidr.description,
                                             expected: "a block smaller than \(network.cidr), leaving room for the second AWS subnet"),
                               at: context.location("network.subnetCidr")))
        }
        for (index, remote) in (manifest.firewall.vpn?.remoteCidrs ?? []).enumerated()
        where remote.contains(network.cidr) || network.cidr.contains(remote) {
            let path = "firewall.vpn.remoteCidrs[\(index)]"
            found.append(.init(.invalidValue(path: path, value: remote.description,
                                             expected: "a customer network that does not overlap the pod network \(network.cidr)"),
                               at: context.location(path)))
        }
        return found
    }
}
