import CatalyzeCore
import Testing
@testable import CatalyzeManifest

/// `state: { backend: URL }`: parsed by the loader, a malformed URL positioned at its value.
@Suite struct StateSectionTests {
    typealias T = ManifestTesting

    @Test func absentMeansTheLocalLockfile() throws {
        let m = try #require(T.load(T.validHipaa).manifest)
        #expect(m.state.backend == nil)
    }

    @Test func aBackendURLIsParsed() throws {
        let m = try #require(T.load(T.validHipaa + "state: { backend: \"etcd://10.0.0.5:2379,10.0.0.6:2379/catalyze\" }\n").manifest)
        #expect(m.state.backend == .etcd(
            endpoints: [.init(host: "10.0.0.5", port: 2379), .init(host: "10.0.0.6", port: 2379)], prefix: "catalyze", tls: false))
    }

    @Test func aMalformedBackendIsAnErrorAtItsValueNamingThePart() throws {
        let extra = "state:\n  backend: s3://Acme_State/catalyze\n"
        let result = T.load(T.validHipaa + extra)
        #expect(result.manifest == nil)
        let diagnostic = try #require(result.diagnostics.first { $0.issue.code == "invalid-backend-url" })
        guard case let .invalidBackendURL(path, part, _) = diagnostic.issue else { Issue.record("\(diagnostic.issue)"); return }
        #expect(path == "state.backend")
        #expect(part == "bucket")
        #expect(diagnostic.location == T.appendedPosition(of: "s3://", in: extra))
        #expect(diagnostic.issue.message.hasPrefix("state.backend: not a backend URL: bucket: 'Acme_State'"))
    }

    @Test func unknownKeysUnderStateAreReported() {
        let result = T.load(T.validHipaa + "state: { backend: \"file:x.json\", bakend: y }\n")
        #expect(result.diagnostics.contains { $0.issue.code == "unknown-key" })
    }
}
