import CatalyzeCore
import CatalyzeManifest
import CatalyzeTestSupport
import Testing

/// Every example in examples/ validates (CI relies on it).
@Suite struct ExamplesTests {
    @Test(arguments: ["hipaa-aws.yaml", "dr-cross-cloud.yaml", "dev-rax.yaml"])
    func exampleValidates(_ name: String) {
        let result = ManifestLoader.load(path: repositoryRoot.appendingPathComponent("examples/\(name)").path)
        #expect(result.isValid, "\(result.diagnostics.map(\.diagnostic))")
        #expect(result.manifest != nil)
    }

    @Test func tenMistakesGiveTenPositionedErrors() {
        let path = repositoryRoot.appendingPathComponent("Tests/Fixtures/invalid/ten-mistakes.yaml").path
        let errors = ManifestLoader.load(path: path, displayPath: "ten.yaml").diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 10)
        #expect(Set(errors.map(\.location.line)).count == 10, "each on its own line")
        #expect(errors.contains { $0.issue == .unknownKey(path: "apps[0]", key: "replicass", suggestion: "replicas") && $0.location.line == 29 })
        #expect(errors.contains { $0.issue == .undefinedRegion(path: "backup.region", name: "west", defined: ["primary", "dr"]) })
        #expect(errors.contains { $0.issue == .inlineSecret(path: "databases[0].password") && $0.location == SourceLocation(file: "ten.yaml", line: 35, column: 15) })
    }
}
