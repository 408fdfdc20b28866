import CatalyzeCore
import Testing
@testable import CatalyzeManifest

/// Group names are unique across apps and databases and never take a built-in container's name.
@Suite struct UniqueContainerNamesRuleTests {
    typealias T = ManifestTesting

    @Test func duplicateAppNamePointsAtTheSecondAndNamesTheFirst() throws {
        let text = T.validHipaa + "  - name: app\n    image: registry.example/other:1\n"
        let result = T.load(text)
        let first = SourceLocation(file: "pod.yaml", line: 16, column: 11)
        #expect(result.diagnostics == [
            .init(.duplicateName(path: "apps[1].name", name: "app", first: first), at: SourceLocation(file: "pod.yaml", line: 18, column: 11)),
        ])
        #expect(result.diagnostics.first?.issue.message == "apps[1].name: name 'app' is already used at pod.yaml:16:11")
    }

    @Test func databaseMayNotReuseAnAppName() {
        let text = T.validHipaa + "databases:\n  - { name: app, engine: postgres, storage: { size: 10GiB } }\n"
        let result = T.load(text)
        #expect(result.issues == [
            .duplicateName(path: "databases[0].name", name: "app", first: SourceLocation(file: "pod.yaml", line: 16, column: 11)),
        ])
        #expect(result.diagnostics.first?.location == SourceLocation(file: "pod.yaml", line: 19, column: 13))
    }

    @Test(arguments: UniqueContainerNamesRule.reserved)
    func builtInNamesAreReserved(name: String) {
        let text = T.validHipaa + "  - { name: \(name), image: registry.example/x:1 }\n"
        let result = T.load(text)
        #expect(result.diagnostics == [
            .init(.invalidName(path: "apps[1].name", value: name, rule: "'\(name)' is the name of a built-in container"),
                  at: SourceLocation(file: "pod.yaml", line: 18, column: 13)),
        ])
    }

    @Test func distinctNamesPass() {
        let text = T.validHipaa + "  - { name: web, image: registry.example/web:1 }\n"
            + "databases:\n  - { name: db, engine: postgres, storage: { size: 10GiB } }\n"
        #expect(T.load(text).diagnostics.isEmpty)
    }
}
