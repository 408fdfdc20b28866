import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
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
}
