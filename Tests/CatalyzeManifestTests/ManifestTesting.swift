import CatalyzeCore
import CatalyzeTestSupport
import Foundation
@testable import CatalyzeManifest

/// Swift Testing also has a `SourceLocation`; in these tests the name means the manifest's.
typealias SourceLocation = CatalyzeCore.SourceLocation

/// Shared helpers for the manifest tests: loading text, finding fixtures, locating text.
enum ManifestTesting {
    /// The smallest manifest that is valid under `hipaa` with no diagnostics at all (9 + 8 lines).
    /// Tests append sections after it, so appended text starts at line 18.
    static let validHipaa = """
        version: 1
        pod:
          name: acme
          customer: Acme Health
        profile: hipaa
        regions:
          - name: primary
            provider: aws
            region: us-east-1
        loadBalancer:
          listeners:
            - protocol: https
              port: 443
              certificate: file:certs/acme.pem
        apps:
          - name: app
            image: registry.example/app:1

        """

    /// Loads `text` as `pod.yaml`.
    static func load(_ text: String) -> ManifestLoadResult {
        ManifestLoader.load(text: text, file: "pod.yaml")
    }

    /// A path under `Tests/Fixtures/`.
    static func fixture(_ relative: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relative).path
    }

    /// A path under `examples/`.
    static func example(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("examples").appendingPathComponent(name).path
    }

    /// Where `needle` lies in `extra` once `extra` is appended to `validHipaa` (which ends at line 17).
    static func appendedPosition(of needle: String, in extra: String) -> SourceLocation? {
        position(of: needle, in: extra).map { SourceLocation(file: $0.file, line: $0.line + 17, column: $0.column) }
    }

    /// The 1-based line and column where `needle` first occurs in `text` (after `occurrence - 1` earlier ones).
    static func position(of needle: String, in text: String, occurrence: Int = 1, file: String = "pod.yaml") -> SourceLocation? {
        var seen = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var searchStart = line.startIndex
            while let range = line[searchStart...].range(of: needle) {
                seen += 1
                if seen == occurrence {
                    let column = line.distance(from: line.startIndex, to: range.lowerBound) + 1
                    return SourceLocation(file: file, line: index + 1, column: column)
                }
                searchStart = range.upperBound
            }
        }
        return nil
    }
}

extension ManifestLoadResult {
    /// The error diagnostics.
    var errors: [ManifestDiagnostic] { diagnostics.filter { $0.severity == .error } }
    /// The warning diagnostics.
    var warnings: [ManifestDiagnostic] { diagnostics.filter { $0.severity == .warning } }
    /// The issues, in order.
    var issues: [ManifestIssue] { diagnostics.map(\.issue) }
}
