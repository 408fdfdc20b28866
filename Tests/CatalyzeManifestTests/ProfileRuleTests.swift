import CatalyzeCore
import Testing
@testable import CatalyzeManifest

/// `hipaa` makes each relaxed safeguard an error; `dev` makes the same one a warning, at the same place.
@Suite struct ProfileRuleTests {
    typealias T = ManifestTesting

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// Turns the valid hipaa manifest into one that relaxes exactly one safeguard.
        let edit: @Sendable (String) -> String
        let requirement: String
        /// The diagnostic points at the text right after this anchor (its value), or at the anchor itself.
        let anchor: String
        var atAnchor = false
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "encryption", edit: { $0 + "encryption:\n  enabled: false\n" },
             requirement: "encrypted storage", anchor: "  enabled: "),
        Case(name: "database storage encryption",
             edit: { $0 + "databases:\n  - name: db\n    engine: postgres\n    storage: { size: 10GiB, encrypted: false }\n" },
             requirement: "encrypted storage for database 'db'", anchor: "encrypted: "),
        Case(name: "TLS listener",
             edit: {
                 $0.replacingOccurrences(
                     of: "    - protocol: https\n      port: 443\n      certificate: file:certs/acme.pem\n",
                     with: "    - protocol: http\n      port: 80\n")
             },
             requirement: "a TLS listener (https, tls or tls-passthrough) on the load balancer", anchor: "- protocol: http", atAnchor: true),
        Case(name: "TLS on every listener",
             edit: { $0.replacingOccurrences(of: "  certificate: file:certs/acme.pem\n", with: "  certificate: file:certs/acme.pem\n    - protocol: http\n      port: 80\n") },
             requirement: "TLS on every listener (http/80 is plain)", anchor: "    - protocol: "),
        Case(name: "logging", edit: { $0 + "logging:\n  enabled: false\n" },
             requirement: "logging enabled", anchor: "  enabled: "),
        Case(name: "monitoring", edit: { $0 + "monitoring:\n  enabled: false\n" },
             requirement: "monitoring enabled", anchor: "  enabled: "),
        Case(name: "backup", edit: { $0 + "backup:\n  enabled: false\n" },
             requirement: "backup enabled", anchor: "  enabled: "),
        Case(name: "two app replicas", edit: { $0 + "  - { name: web, image: registry.example/web:1, replicas: 1 }\n" },
             requirement: "at least two replicas of app 'web'", anchor: "replicas: "),
    ]

    /// Where the diagnostic should point: the last occurrence of the anchor (the edit adds text at
    /// or near the end), then the value after it unless `atAnchor`.
    private func location(of c: Case, in text: String) throws -> SourceLocation {
        var occurrences = 0
        while T.position(of: c.anchor, in: text, occurrence: occurrences + 1) != nil { occurrences += 1 }
        let start = try #require(T.position(of: c.anchor, in: text, occurrence: occurrences))
        return c.atAnchor ? start : SourceLocation(file: start.file, line: start.line, column: start.column + c.anchor.count)
    }

    @Test(arguments: cases)
    func hipaaRequiresIt(c: Case) throws {
        let text = c.edit(T.validHipaa)
        let result = T.load(text)
        let at = try location(of: c, in: text)
        #expect(result.diagnostics == [
            ManifestDiagnostic(.profileRequires(requirement: c.requirement), at: at),
        ])
        #expect(result.manifest == nil)
    }

    @Test(arguments: cases)
    func devAllowsItWithAWarning(c: Case) throws {
        let text = c.edit(T.validHipaa).replacingOccurrences(of: "profile: hipaa", with: "profile: dev")
        let result = T.load(text)
        let what = "without \(c.requirement); not allowed under hipaa"
        let at = try location(of: c, in: text)
        #expect(result.diagnostics == [
            ManifestDiagnostic(.profileRelaxes(what: what), at: at, severity: .warning),
        ])
        #expect(result.isValid)
        #expect(result.manifest?.profile == .dev)
    }

    @Test func hipaaReportsEveryRelaxedSafeguardAtOnce() {
        let text = T.validHipaa.replacingOccurrences(of: "protocol: https", with: "protocol: http")
            .replacingOccurrences(of: "      certificate: file:certs/acme.pem\n", with: "")
            + "    replicas: 1\nencryption: { enabled: false }\nlogging: { enabled: false }\n"
            + "monitoring: { enabled: false }\nbackup: { enabled: false }\n"
        let result = T.load(text)
        #expect(result.errors.count == 6)
        #expect(Set(result.issues) == [
            .profileRequires(requirement: "encrypted storage"),
            .profileRequires(requirement: "a TLS listener (https, tls or tls-passthrough) on the load balancer"),
            .profileRequires(requirement: "logging enabled"),
            .profileRequires(requirement: "monitoring enabled"),
            .profileRequires(requirement: "backup enabled"),
            .profileRequires(requirement: "at least two replicas of app 'app'"),
        ])
    }

    /// A section that failed to read is not judged again by the profile (no cascade from its fallback).
    @Test func sectionWithReadingErrorsIsNotJudged() {
        let text = T.validHipaa + "    replicas: 1\n    colour: red\n"
        let result = T.load(text)
        #expect(result.issues == [.unknownKey(path: "apps[0]", key: "colour", suggestion: nil)])
    }

    @Test func messagesNameTheProfile() {
        #expect(ManifestIssue.profileRequires(requirement: "backup enabled").message == "profile hipaa requires backup enabled")
        #expect(ManifestIssue.profileRelaxes(what: "without backup enabled").message == "profile dev: without backup enabled")
    }

    @Test func hipaaRefusesAPlainListenerBesideAPassthroughOne() {
        let text = ListenerRuleTests.passthrough(type: "network")
            .replacingOccurrences(of: "      targetPort: 8443\n", with: "      targetPort: 8443\n    - { protocol: tcp, port: 80 }\n")
        let result = T.load(text)
        #expect(result.diagnostics == [
            ManifestDiagnostic(.profileRequires(requirement: "TLS on every listener (tcp/80 is plain)"),
                               at: SourceLocation(file: "pod.yaml", line: 16, column: 19)),
        ])
    }
}
