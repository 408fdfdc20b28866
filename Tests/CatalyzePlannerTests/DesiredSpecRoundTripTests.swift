import CatalyzeManifest
import CatalyzeModel
@testable import CatalyzePlanner
import CatalyzeTestSupport
import Foundation
import Testing

/// What `DesiredState` makes from every example is exactly its kind's typed spec encoded: each
/// spec decodes as its kind's `KindSpec` and encodes back to the same attributes, and it refers
/// only to resources of kinds made before it (or its own kind: a backup plan copies into another region's).
@Suite struct DesiredSpecRoundTripTests {
    static let examples: [String] = {
        let folder = repositoryRoot.appendingPathComponent("examples").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    @Test(arguments: examples)
    func everyDesiredSpecIsItsTypedSpecEncoded(example: String) throws {
        let manifest = try PlannerTests.manifest(example)
        let specs = PlannerTests.desired(manifest)
        #expect(!specs.isEmpty)
        for spec in specs {
            #expect(try spec.kind.canonical(spec.attributes) == spec.attributes, "\(example): \(spec.address)")
            for dependency in spec.dependencies {
                #expect(dependency.kind <= spec.kind, "\(example): \(spec.address) refers to \(dependency), a kind made later")
            }
        }
    }

    /// Each kind says in one file (`Desires/`) when a manifest wants it: the `Registry` build plugin
    /// found exactly one desire per kind, and each makes only its own kind.
    @Test(arguments: examples)
    func everyKindHasOneDesireThatMakesOnlyItsKind(example: String) throws {
        #expect(registeredKindDesire.map { $0.kind }.sorted() == ResourceKind.allCases)
        let manifest = try PlannerTests.manifest(example)
        let state = DesiredState(manifest: manifest, placements: [:], zones: [:], sshCA: "")
        let slots = PodLayout.slots(manifest)
        for region in manifest.regions {
            let desire = RegionDesire(state: state, region: region, slots: slots.filter { $0.region == region.name })
            for kindDesire in registeredKindDesire {
                for spec in kindDesire.resources(in: desire) {
                    #expect(spec.kind == kindDesire.kind && spec.address.region == region.name, "\(example): \(kindDesire) made \(spec.address)")
                }
            }
        }
    }
}
