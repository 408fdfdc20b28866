import CatalyzeCore
import CatalyzeManifest
import CatalyzeModel

/// What the manifest asks of one resource kind, region by region: the one place that says when a
/// pod has resources of that kind and what their specs hold.
///
/// One conformance per kind, each in its own file of `Desires/`. The `Registry` build plugin lists
/// every conformance (`registeredKindDesire`), and `DesiredState` asks each of them for every region,
/// so a new kind adds its file here and no line elsewhere in the planner.
// @registry
protocol KindDesire {
    /// The kind it desires (exactly one desire per kind: `DesiredSpecRoundTripTests`).
    static var kind: ResourceKind { get }
    /// The kind's desired resources in `region` (any order: `DesiredState` sorts by address).
    static func resources(in region: RegionDesire) -> [ResourceSpec]
}

/// One region of the pod as the desires see it: the manifest, the region, its containers with
/// their chosen hosts, and helpers to make specs and references there.
struct RegionDesire {
    /// The whole desired state (manifest, placements, zones, the customer's SSH CA).
    let state: DesiredState
    /// The region.
    let region: RegionSpec
    /// The region's containers.
    let slots: [ContainerSlot]

    /// The manifest.
    var manifest: PodManifest { state.manifest }
    /// The region's cloud.
    var provider: Provider { region.provider }
    /// The availability zone the region's pod uses.
    var zone: String { state.zones[region.name] ?? region.zones.first ?? region.cloudRegion }

    /// `typed` as the spec of `<kind>.<name>` in this region.
    func spec<Spec: KindSpec>(_ name: String, _ typed: Spec) -> ResourceSpec {
        ResourceSpec(address: ref(Spec.kind, name), provider: provider, cloudRegion: region.cloudRegion, typed)
    }

    /// The address of `<kind>.<name>` in this region.
    func ref(_ kind: ResourceKind, _ name: String) -> ResourceAddress {
        ResourceAddress(region: region.name, kind: kind, name: name)
    }
}
