import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// An ACM certificate or ELBv2 target group tagged for a pod, with its tags.
struct TaggedBalancerPart {
    var arn: String
    var tags: [String: String]

    /// An ACM certificate (else a target group).
    var isCertificate: Bool { arn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(2).first == "acm" }

    /// A target group's port: its name ends in `-PORT` (`AWSDriver.elbName`); nil for a certificate.
    var port: Int? {
        guard !isCertificate, let name = arn.split(separator: "/").dropFirst().first else { return nil }
        return name.split(separator: "-").last.flatMap { Int($0) }
    }
}

extension AWSDriver {
    /// The pod's ACM certificates and ELBv2 target groups, found by their `catalyze:pod` tag: one
    /// Resource Groups Tagging API GetResources listing per region (paginated), however many
    /// certificates and groups the account holds. Refresh finds these parts through the pod's live
    /// balancers; this listing finds the ones whose balancer is gone (see `balancerLeftovers`).
    func taggedBalancerParts(pod: String, region: String) async throws -> [TaggedBalancerPart] {
        var parts: [TaggedBalancerPart] = []
        var next: String?
        for _ in 0..<100 {
            var payload: [String: Any] = [
                "TagFilters": [["Key": CatalyzeTag.pod, "Values": [pod]]],
                "ResourceTypeFilters": ["acm", "elasticloadbalancing:targetgroup"],
                "ResourcesPerPage": 100,
            ]
            if let next { payload["PaginationToken"] = next }
            let reply = try await client.json(.tagging, "GetResources", region: region, payload)
            for mapping in reply["ResourceTagMappingList"] as? [[String: Any]] ?? [] {
                guard let arn = mapping["ResourceARN"] as? String else { continue }
                var tags: [String: String] = [:]
                for tag in mapping["Tags"] as? [[String: Any]] ?? [] {
                    if let key = tag["Key"] as? String { tags[key] = tag["Value"] as? String ?? "" }
                }
                if tags[CatalyzeTag.pod] == pod { parts.append(TaggedBalancerPart(arn: arn, tags: tags)) }
            }
            next = (reply["PaginationToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            if next == nil { break }
        }
        return parts
    }

    /// Target groups and certificates tagged for the pod whose balancer is gone, reported per
    /// `catalyze:address` (and lineage) as a load balancer with an empty cloud id, the way a VPN's
    /// gateways without their connection are (`halfMadeVPNs`): a `destroy` killed after
    /// DeleteLoadBalancer and before DeleteTargetGroup or DeleteCertificate leaves them, and only
    /// a live balancer led refresh to them. A delete (a destroy, an unmanaged or no longer wanted
    /// balancer) now removes them; a create adopts their `catalyze:op` token and makes the balancer
    /// anew from them, a recorded balancer found so is replaced (`Planner`: half gone). Parts of an
    /// address whose balancer is live are its own (held by it, or its half-made create's). Found by
    /// the kill loop: its final destroy left a certificate, in another run a target group.
    static func balancerLeftovers(_ parts: [TaggedBalancerPart], live: [LiveResource]) -> [LiveResource] {
        let balancers = live.filter { $0.kind == .loadBalancer }
        let made = Set(balancers.map(\.address))
        var held = Set(balancers.compactMap { $0.resource.outputs["certificate_arn"] })
        for balancer in balancers { held.formUnion(targetGroups(balancer.resource.outputs["target_groups"] ?? "").values) }
        struct Key: Hashable { var address: ResourceAddress; var lineage: String }
        var found: [Key: (tags: [String: String], groups: [Int: String], certificate: String?)] = [:]
        for part in parts.sorted(by: { $0.arn < $1.arn }) where !held.contains(part.arn) {
            guard let address = part.tags[CatalyzeTag.address].flatMap(ResourceAddress.init(parsing:)),
                  address.kind == .loadBalancer, !made.contains(address)
            else { continue }
            // Parts of two lineages at one address stay apart: `LineageGuard` refuses the other's.
            let key = Key(address: address, lineage: part.tags[CatalyzeTag.lineage] ?? "")
            if part.isCertificate {
                found[key, default: (part.tags, [:], nil)].certificate = part.arn
            } else {
                found[key, default: (part.tags, [:], nil)].groups[part.port ?? 0] = part.arn
            }
        }
        return found.sorted { ($0.key.address, $0.key.lineage) < ($1.key.address, $1.key.lineage) }.map { key, part in
            var outputs = ["target_groups": part.groups.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")]
            if let certificate = part.certificate {
                outputs["certificate_arn"] = certificate
                outputs["imported_certificate"] = "true"
            }
            return LiveResource(
                address: key.address, kind: .loadBalancer, resource: CloudResource(cloudID: "", attributes: [:], outputs: outputs),
                operationToken: part.tags[CatalyzeTag.operation]).carrying(part.tags)
        }
    }
}
