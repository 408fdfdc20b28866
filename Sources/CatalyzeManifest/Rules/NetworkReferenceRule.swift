import CatalyzeCore
import CatalyzeModel

/// A region's existing network (`regions[].network`): only on a cloud that takes one
/// (`CloudCapabilities.existingNetwork`: AWS); a well-formed VPC id; one or more
/// well-formed subnet ids, each listed once; two at least when the load balancer is an ALB (it
/// must span two availability zones).
struct NetworkReferenceRule: ManifestRule {
    func check(_ manifest: PodManifest, _ context: RuleContext) -> [ManifestDiagnostic] {
        guard context.clean("regions", "loadBalancer") else { return [] }
        var found: [ManifestDiagnostic] = []
        for (index, region) in manifest.regions.enumerated() {
            guard let network = region.network else { continue }
            let path = "regions[\(index)].network"
            if !region.provider.capabilities.existingNetwork {
                found.append(.init(.invalidValue(path: path, value: network.vpc, expected: "an existing network only in an aws region (Rackspace networks are always made)"),
                                   at: context.location(path)))
                continue
            }
            if !Self.isID(network.vpc, prefix: "vpc-") {
                found.append(.init(.invalidValue(path: "\(path).vpc", value: network.vpc, expected: "a VPC id such as vpc-0a1b2c3d4e5f60718"),
                                   at: context.location("\(path).vpc")))
            }
            if network.subnets.isEmpty {
                found.append(.init(.invalidValue(path: "\(path).subnets", value: "[]", expected: "the subnet ids the pod uses"),
                                   at: context.location("\(path).subnets")))
            }
            var seen: Set<String> = []
            for (n, subnet) in network.subnets.enumerated() {
                let item = "\(path).subnets[\(n)]"
                if !Self.isID(subnet, prefix: "subnet-") {
                    found.append(.init(.invalidValue(path: item, value: subnet, expected: "a subnet id such as subnet-0a1b2c3d4e5f60718"),
                                       at: context.location(item)))
                } else if !seen.insert(subnet).inserted {
                    found.append(.init(.invalidValue(path: item, value: subnet, expected: "each subnet listed once"), at: context.location(item)))
                }
            }
            if manifest.loadBalancer.type == "application", (1..<2).contains(seen.count) {
                found.append(.init(.invalidValue(
                    path: "\(path).subnets", value: network.subnets.joined(separator: ", "),
                    expected: "two subnets in different availability zones at least (an application load balancer spans two zones)"),
                    at: context.location("\(path).subnets")))
            }
        }
        return found
    }

    /// `prefix` followed by 8 or 17 lowercase hex digits (EC2's short and long ids).
    static func isID(_ text: String, prefix: String) -> Bool {
        guard text.hasPrefix(prefix) else { return false }
        let hex = text.dropFirst(prefix.count)
        return (hex.count == 8 || hex.count == 17) && hex.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}
