import CatalyzeCore
import Testing
@testable import CatalyzeManifest

/// Exactly one primary region, unique region names, each cloud region used once.
@Suite struct RegionLayoutRuleTests {
    typealias T = ManifestTesting

    private func regions(_ yaml: String) -> String {
        T.validHipaa.replacingOccurrences(of: "  - name: primary\n    provider: aws\n    region: us-east-1\n", with: yaml)
    }

    @Test func noPrimary() {
        let text = regions("  - { name: a, provider: aws, region: us-east-1, role: dr }\n")
        let result = T.load(text)
        #expect(result.diagnostics == [
            .init(.regionLayout(reason: "one region must have role primary"), at: SourceLocation(file: "pod.yaml", line: 7, column: 3)),
        ])
    }

    @Test func twoPrimariesPointsAtTheSecondRole() {
        let text = regions("  - { name: a, provider: aws, region: us-east-1 }\n  - { name: b, provider: aws, region: us-west-2, role: primary }\n")
        let result = T.load(text)
        #expect(result.diagnostics == [
            .init(.regionLayout(reason: "only one region may have role primary"), at: SourceLocation(file: "pod.yaml", line: 8, column: 56)),
        ])
    }

    @Test func duplicateRegionName() {
        let text = regions("  - { name: a, provider: aws, region: us-east-1 }\n  - { name: a, provider: rax, region: ORD, role: dr }\n")
        let result = T.load(text)
        #expect(result.diagnostics == [
            .init(.duplicateName(path: "regions[1].name", name: "a", first: SourceLocation(file: "pod.yaml", line: 7, column: 13)),
                  at: SourceLocation(file: "pod.yaml", line: 8, column: 13)),
        ])
    }

    @Test func sameCloudRegionTwice() {
        let text = regions("  - { name: a, provider: rax, region: ORD }\n  - { name: b, provider: rax, region: ORD, role: dr }\n")
        let result = T.load(text)
        #expect(result.diagnostics == [
            .init(.regionLayout(reason: "rax/ORD is used by both 'a' and 'b'; a DR region must be a different cloud region"),
                  at: SourceLocation(file: "pod.yaml", line: 8, column: 39)),
        ])
    }

    @Test func emptyRegionsList() {
        let result = T.load(regions("").replacingOccurrences(of: "regions:\n", with: "regions: []\n"))
        #expect(result.issues.contains(.regionLayout(reason: "at least one region is required")))
    }

    @Test func sameCloudRegionOnTwoCloudsIsFine() {
        let text = regions("  - { name: a, provider: rax, region: ORD }\n  - { name: b, provider: aws, region: us-west-2, role: dr }\n")
        #expect(T.load(text).diagnostics.isEmpty)
    }
}
