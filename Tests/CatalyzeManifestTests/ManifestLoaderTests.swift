import CatalyzeCore
import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeManifest

/// Loading whole files: the examples, the ten-mistakes fixture, YAML-level errors and reading errors.
@Suite struct ManifestLoaderTests {
    typealias T = ManifestTesting

    @Test(arguments: ["hipaa-aws.yaml", "dr-cross-cloud.yaml"])
    func hipaaExamplesHaveNoDiagnostics(name: String) throws {
        let result = ManifestLoader.load(path: T.example(name), displayPath: name)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.diagnostic))")
        let manifest = try #require(result.manifest)
        #expect(manifest.profile == .hipaa)
        #expect(manifest.regions.map(\.role) == [.primary, .dr])
        #expect(manifest.backup.region == "dr")
    }

    @Test func devExampleHasOnlyWarnings() throws {
        let result = ManifestLoader.load(path: T.example("dev-rax.yaml"), displayPath: "dev-rax.yaml")
        #expect(result.isValid)
        #expect(result.errors.isEmpty)
        #expect(!result.warnings.isEmpty)
        #expect(result.warnings.allSatisfy { if case .profileRelaxes = $0.issue { true } else { false } })
        let manifest = try #require(result.manifest)
        #expect(manifest.profile == .dev)
        #expect(manifest.primaryRegion.provider == .rax)
    }

    /// Each mistake in the fixture is its own case at its own line:col, and nothing else is reported.
    @Test func tenMistakesGivesExactlyTenPositionedErrors() {
        let file = "ten-mistakes.yaml"
        let result = ManifestLoader.load(path: T.fixture("invalid/ten-mistakes.yaml"), displayPath: file)
        func at(_ line: Int, _ column: Int) -> SourceLocation { SourceLocation(file: file, line: line, column: column) }
        let nameRule = "lowercase letters, digits and '-', starting with a letter, at most 30 characters"
        let expected: [ManifestDiagnostic] = [
            .init(.invalidName(path: "pod.name", value: "Acme_Prod", rule: nameRule), at: at(3, 9)),
            .init(.invalidValue(path: "regions[1].provider", value: "azure", expected: "aws | rax"), at: at(11, 15)),
            .init(.invalidCIDR(path: "network.cidr", value: "10.40.0.0/33"), at: at(15, 9)),
            .init(.invalidPort(path: "firewall.ingress[0].ports", value: "70000"), at: at(19, 14)),
            .init(.invalidDuration(path: "loadBalancer.healthCheck.interval", value: "soon"), at: at(26, 44)),
            .init(.unknownKey(path: "apps[0]", key: "replicass", suggestion: "replicas"), at: at(29, 5)),
            .init(.duplicateName(path: "databases[0].name", name: "app", first: at(28, 11)), at: at(32, 11)),
            .init(.invalidSize(path: "databases[0].storage.size", value: "100"), at: at(34, 22)),
            .init(.inlineSecret(path: "databases[0].password"), at: at(35, 15)),
            .init(.undefinedRegion(path: "backup.region", name: "west", defined: ["primary", "dr"]), at: at(37, 11)),
        ]
        #expect(result.diagnostics == expected)
        #expect(result.errors.count == 10)
        #expect(result.manifest == nil)
        #expect(Set(result.diagnostics.map(\.location.line)).count == 10)
        #expect(result.diagnostics.first { $0.issue.code == "unknown-key" }?.issue.hint == "did you mean 'replicas'?")
    }

    @Test func yamlSyntaxErrorIsPositioned() throws {
        let text = "version: 1\npod:\n  name: acme: bad\n"
        let result = T.load(text)
        let only = try #require(result.diagnostics.count == 1 ? result.diagnostics[0] : nil)
        guard case .syntax(let problem) = only.issue else {
            Issue.record("expected a syntax error, got \(only.issue)")
            return
        }
        #expect(problem.contains("mapping values are not allowed"))
        #expect(only.location == SourceLocation(file: "pod.yaml", line: 3, column: 13))
        #expect(result.manifest == nil)
    }

    @Test func unterminatedFlowListIsASyntaxError() {
        let result = T.load("version: 1\nregions: [a, b\napps: []\n")
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.issue.code == "yaml-syntax")
        #expect((result.diagnostics.first?.location.line ?? 0) >= 2)
    }

    @Test func duplicateKeyPointsAtTheRepeat() {
        let text = "version: 1\npod:\n  name: acme\n  customer: Acme\n  name: other\n"
        let result = T.load(text)
        #expect(result.diagnostics == [
            .init(.duplicateKey(key: "name"), at: SourceLocation(file: "pod.yaml", line: 5, column: 3)),
        ])
        #expect(result.diagnostics.first?.issue.hint == "each key may appear once per mapping")
    }

    @Test func duplicateKeyInAListItemPointsAtTheRepeat() {
        let text = "apps:\n  - name: app\n    image: x\n    name: web\n"
        let result = T.load(text)
        #expect(result.diagnostics == [
            .init(.duplicateKey(key: "name"), at: SourceLocation(file: "pod.yaml", line: 4, column: 5)),
        ])
    }

    @Test func duplicateTopLevelKeyPointsAtTheRepeat() {
        let text = T.validHipaa + "profile: dev\n"
        let result = T.load(text)
        #expect(result.diagnostics == [
            .init(.duplicateKey(key: "profile"), at: SourceLocation(file: "pod.yaml", line: 18, column: 1)),
        ])
    }

    @Test(arguments: ["", "# only a comment\n", "~\n"])
    func emptyDocument(text: String) {
        let result = T.load(text)
        #expect(result.issues == [.emptyDocument])
        #expect(result.diagnostics.first?.location == SourceLocation(file: "pod.yaml", line: 1, column: 1))
    }

    @Test func rootThatIsNotAMappingIsAWrongType() {
        let result = T.load("- a\n- b\n")
        #expect(result.issues == [.wrongType(path: "", expected: "a mapping", found: "a list")])
        #expect(result.issues.first?.message == "the manifest must be a mapping, found a list")
    }

    @Test(arguments: [("version: 2", "2"), ("version: \"2\"", "2"), ("version: one", "one")])
    func unsupportedVersion(line: String, found: String) {
        let text = T.validHipaa.replacingOccurrences(of: "version: 1", with: line)
        let result = T.load(text)
        #expect(result.diagnostics == [
            .init(.unsupportedVersion(found: found), at: SourceLocation(file: "pod.yaml", line: 1, column: 10)),
        ])
    }

    /// `version: "1"` is the right version written as text: its own error, saying to drop the quotes.
    @Test func quotedVersionOneSaysToDropTheQuotes() {
        let result = T.load(T.validHipaa.replacingOccurrences(of: "version: 1", with: "version: \"1\""))
        #expect(result.diagnostics == [
            .init(.versionNotANumber(found: "1"), at: SourceLocation(file: "pod.yaml", line: 1, column: 10)),
        ])
    }

    /// A missing section is reported once: the rules do not judge it again (no "no primary region").
    @Test func missingRequiredTopLevelKeysAreEachReportedAtTheRoot() {
        let result = T.load("version: 1\nprofile: dev\n")
        let root = SourceLocation(file: "pod.yaml", line: 1, column: 1)
        #expect(result.diagnostics == [
            .init(.missingKey(path: "", key: "apps"), at: root),
            .init(.missingKey(path: "", key: "pod"), at: root),
            .init(.missingKey(path: "", key: "regions"), at: root),
            .init(.profileRelaxes(what: "without a TLS listener (https, tls or tls-passthrough) on the load balancer; not allowed under hipaa"),
                  at: root, severity: .warning),
        ])
        #expect(result.diagnostics.map(\.issue.message).contains("the manifest is missing required key 'pod'"))
    }

    @Test func missingNestedKeyIsReportedAtItsMapping() {
        let text = T.validHipaa.replacingOccurrences(of: "    region: us-east-1\n", with: "")
        let result = T.load(text)
        #expect(result.diagnostics == [
            .init(.missingKey(path: "regions[0]", key: "region"), at: SourceLocation(file: "pod.yaml", line: 7, column: 5)),
        ])
    }

    @Test func unreadableFileNamesTheDisplayPath() {
        let result = ManifestLoader.load(path: "/nonexistent/catalyze/pod.yaml", displayPath: "pod.yaml")
        #expect(result.diagnostics == [
            .init(.unreadable(reason: "no such file"), at: SourceLocation(file: "pod.yaml", line: 1, column: 1)),
        ])
    }

    @Test func notUTF8IsUnreadable() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path("latin1.yaml")
        try Data([0x70, 0x6F, 0x64, 0x3A, 0x20, 0xE9, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
        let result = ManifestLoader.load(path: path)
        #expect(result.issues == [.unreadable(reason: "not UTF-8 text")])
    }

    @Test func diagnosticsAreSortedByPosition() {
        let result = ManifestLoader.load(path: T.fixture("invalid/ten-mistakes.yaml"))
        #expect(result.diagnostics.map(\.location) == result.diagnostics.map(\.location).sorted())
    }
}
