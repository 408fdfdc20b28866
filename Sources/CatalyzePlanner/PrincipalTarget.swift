import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzeState
import Foundation

/// Which host a grant opens and the principal that host accepts: `access grant`'s choice of region
/// and `PrincipalForm`, made from the manifest and the lockfile (pure).
///
/// The region is `--region`, or the only region running the container. The form is what the host
/// recorded in the lockfile accepts: scoped for a host made by 0.2.0 or later (and for a container
/// not applied yet, which will be made so), legacy for a host made before 0.2.0 that has not been
/// replaced yet (`Planner.keepingLegacyPrincipal`). A legacy name is refused when another host of
/// the pod still accepts it too (the same container in another region): that certificate would open
/// a second container.
public struct PrincipalTarget: Hashable, Sendable {
    /// The pod.
    public var pod: String
    /// The manifest region.
    public var region: String
    /// The container.
    public var container: String
    /// The form its host accepts.
    public var form: PrincipalForm

    /// The instance's address.
    public var address: ResourceAddress { ResourceAddress(region: region, kind: .instance, name: container) }

    /// The principal to sign.
    public var name: String { form.name(pod: pod, region: region, container: container) }

    /// Why no principal can be chosen.
    public enum Problem: Error, Hashable, CustomStringConvertible {
        /// The container runs in no region of the pod.
        case unknownContainer(container: String, pod: String, containers: [String])
        /// `--region` names a region the container does not run in.
        case notInRegion(container: String, region: String, regions: [String])
        /// The container runs in several regions and `--region` was not given.
        case regionNeeded(container: String, regions: [String])
        /// The host still accepts the legacy name, and so do these other hosts of the pod.
        case legacyShared(address: ResourceAddress, principal: String, others: [ResourceAddress])
        /// The lockfile records a principal in neither form for the host.
        case unrecognized(address: ResourceAddress, recorded: String)

        /// One line: what and what to do.
        public var description: String {
            switch self {
            case let .unknownContainer(container, pod, containers):
                "--target '\(container)' is not a container of pod '\(pod)' (its containers: \(containers.joined(separator: ", ")))"
            case let .notInRegion(container, region, regions):
                "--region '\(region)': container '\(container)' runs in \(regions.joined(separator: ", ")), not in '\(region)'"
            case let .regionNeeded(container, regions):
                "container '\(container)' runs in more than one region; pass --region (one of: \(regions.joined(separator: ", ")))"
            case let .legacyShared(address, principal, others):
                "\(address) was made before 0.2.0 and accepts the legacy principal '\(principal)', which "
                    + "\(others.map(\.description).joined(separator: ", ")) also accept\(others.count == 1 ? "s" : ""): a certificate for it would open "
                    + "\(others.count == 1 ? "that container" : "those containers") too. Replace one of them first (a rolling "
                    + "replacement gives the new host the principal <pod>.<region>.<container>); see the README's access section"
            case let .unrecognized(address, recorded):
                "the lockfile records principal '\(recorded)' for \(address), neither <pod>.<region>.<container> nor the legacy <pod>-<container>; nothing is granted"
            }
        }
    }

    /// Chooses the host and its principal.
    public static func resolve(
        manifest: PodManifest, container: String, region: String?, lockfile: Lockfile?
    ) throws(Problem) -> PrincipalTarget {
        let pod = manifest.pod.name
        let slots = PodLayout.slots(manifest)
        let regions = manifest.regions.map(\.name).filter { name in slots.contains { $0.region == name && $0.name == container } }
        guard !regions.isEmpty else {
            throw .unknownContainer(container: container, pod: pod, containers: Array(Set(slots.map(\.name))).sorted())
        }
        let chosen: String
        if let region {
            guard regions.contains(region) else { throw .notInRegion(container: container, region: region, regions: regions) }
            chosen = region
        } else {
            guard regions.count == 1 else { throw .regionNeeded(container: container, regions: regions) }
            chosen = regions[0]
        }
        var target = PrincipalTarget(pod: pod, region: chosen, container: container, form: .scoped)
        guard let recorded = lockfile?.resources[target.address]?.attributes["principals"] else { return target }
        let names = Self.names(recorded)
        if names.contains(target.name) { return target }
        let legacy = PrincipalForm.legacy.name(pod: pod, region: chosen, container: container)
        guard names.contains(legacy) else { throw .unrecognized(address: target.address, recorded: recorded) }
        let others = (lockfile?.sortedRecords ?? [])
            .filter { $0.kind == .instance && $0.address != target.address && Self.names($0.attributes["principals"] ?? "").contains(legacy) }
            .map(\.address).sorted()
        guard others.isEmpty else { throw .legacyShared(address: target.address, principal: legacy, others: others) }
        target.form = .legacy
        return target
    }

    /// The principals of a recorded `principals` attribute (comma-separated).
    static func names(_ recorded: String) -> [String] {
        recorded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
