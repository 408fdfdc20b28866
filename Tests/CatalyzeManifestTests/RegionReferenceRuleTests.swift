import CatalyzeCore
import Testing
@testable import CatalyzeManifest

/// Every region an app, a database or the backup names is defined under `regions`.
@Suite struct RegionReferenceRuleTests {
    typealias T = ManifestTesting

    static let twoRegions = T.validHipaa.replacingOccurrences(
        of: "    region: us-east-1\n",
        with: "    region: us-east-1\n  - name: dr\n    provider: aws\n    region: us-west-2\n    role: dr\n")

    @Test func undefinedBackupRegionWithSuggestion() throws {
        let text = Self.twoRegions + "backup:\n  region: dr2\n"
        let result = T.load(text)
        let at = try #require(T.position(of: "dr2", in: text))
        #expect(result.diagnostics == [
            .init(.undefinedRegion(path: "backup.region", name: "dr2", defined: ["primary", "dr"]), at: at),
        ])
        #expect(result.diagnostics.first?.issue.hint == "did you mean 'dr'?")
        #expect(result.diagnostics.first?.issue.message == "backup.region: region 'dr2' is not defined (regions: primary, dr)")
    }

    @Test func undefinedAppAndDatabaseRegionsAreEachReported() throws {
        let text = Self.twoRegions + "  - { name: web, image: registry.example/web:1, regions: [primary, west] }\n"
            + "databases:\n  - { name: db, engine: postgres, storage: { size: 10GiB }, regions: [east] }\n"
        let result = T.load(text)
        let west = try #require(T.position(of: "west]", in: text))
        let east = try #require(T.position(of: "east]", in: text))
        #expect(result.diagnostics == [
            .init(.undefinedRegion(path: "apps[1].regions[1]", name: "west", defined: ["primary", "dr"]), at: west),
            .init(.undefinedRegion(path: "databases[0].regions[0]", name: "east", defined: ["primary", "dr"]), at: east),
        ])
    }

    @Test func definedReferencesPass() throws {
        let text = Self.twoRegions + "  - { name: web, image: registry.example/web:1, regions: [dr] }\nbackup: { region: dr }\n"
        let result = T.load(text)
        #expect(result.diagnostics.isEmpty)
        #expect(result.manifest?.apps[1].regions == ["dr"])
    }

    /// When `regions` itself could not be read, references to it are not reported again.
    @Test func noCascadeWhenRegionsIsUnreadable() {
        let text = T.validHipaa.replacingOccurrences(
            of: "regions:\n  - name: primary\n    provider: aws\n    region: us-east-1\n", with: "regions: primary\n")
            + "backup: { region: primary }\n"
        let result = T.load(text)
        #expect(result.issues == [.wrongType(path: "regions", expected: "a list", found: "the text 'primary'")])
    }
}
