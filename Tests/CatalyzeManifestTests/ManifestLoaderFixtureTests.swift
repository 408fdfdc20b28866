import CatalyzeCore
import Foundation
import Testing
@testable import CatalyzeManifest

/// Whole invalid files under Tests/Fixtures/invalid/: each mistake its own case at its own line:col.
@Suite struct ManifestLoaderFixtureTests {
    typealias T = ManifestTesting

    private func load(_ name: String, profile: String? = nil) throws -> ManifestLoadResult {
        guard let profile else { return ManifestLoader.load(path: T.fixture("invalid/\(name)"), displayPath: name) }
        let text = try String(contentsOfFile: T.fixture("invalid/\(name)"), encoding: .utf8)
        return ManifestLoader.load(text: text.replacingOccurrences(of: "profile: hipaa", with: "profile: \(profile)"), file: name)
    }

    static let safeguards: [(String, Int, Int)] = [
        ("a TLS listener (https, tls or tls-passthrough) on the load balancer", 13, 5),
        ("encrypted storage", 15, 12),
        ("at least two replicas of app 'app'", 18, 15),
        ("encrypted storage for database 'db'", 23, 40),
        ("logging enabled", 25, 12),
        ("monitoring enabled", 27, 12),
        ("backup enabled", 29, 12),
    ]

    @Test func hipaaWithEverySafeguardOffGivesSevenErrors() throws {
        let file = "hipaa-safeguards-off.yaml"
        let result = try load(file)
        #expect(result.diagnostics == Self.safeguards.map { what, line, column in
            ManifestDiagnostic(.profileRequires(requirement: what), at: SourceLocation(file: file, line: line, column: column))
        })
    }

    @Test func theSameFileUnderDevGivesSevenWarnings() throws {
        let file = "hipaa-safeguards-off.yaml"
        let result = try load(file, profile: "dev")
        #expect(result.isValid)
        #expect(result.diagnostics == Self.safeguards.map { what, line, column in
            ManifestDiagnostic(.profileRelaxes(what: "without \(what); not allowed under hipaa"),
                               at: SourceLocation(file: file, line: line, column: column), severity: .warning)
        })
    }

    @Test func inlineSecretsAreEachReportedAndNeverPrinted() throws {
        let file = "inline-secrets.yaml"
        let result = try load(file)
        func at(_ line: Int, _ column: Int) -> SourceLocation { SourceLocation(file: file, line: line, column: column) }
        #expect(result.diagnostics == [
            .init(.inlineSecret(path: "loadBalancer.listeners[0].certificate"), at: at(15, 20)),
            .init(.inlineSecret(path: "encryption.key"), at: at(20, 8)),
            .init(.inlineSecret(path: "databases[0].password"), at: at(28, 15)),
            .init(.inlineSecret(path: "access.caPublicKey"), at: at(30, 16)),
        ])
        let printed = result.diagnostics.map { "\($0.diagnostic) \($0.issue)" }.joined(separator: "\n")
        for secret in ["SecretCertificateBody", "5f4dcc3b5aa765d61d8327deb882cf99", "123456789", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU"] {
            #expect(!printed.contains(secret))
        }
    }
}
