import CatalyzeCore
import Testing
@testable import CatalyzeManifest

/// Common mistakes, each with its own positioned error and a hint; each beside its twin that passes.
@Suite struct MistakenInputTests {
    typealias T = ManifestTesting

    private func appended(_ extra: String) -> ManifestLoadResult { T.load(T.validHipaa + extra) }

    @Test func yesIsNotABoolean() throws {
        let extra = "logging:\n  enabled: yes\n"
        let result = appended(extra)
        let diagnostic = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(diagnostic.issue == .notABoolean(path: "logging.enabled", value: "yes"))
        #expect(diagnostic.location == T.appendedPosition(of: "yes", in: extra))
        #expect(diagnostic.issue.hint?.contains("true or false") == true)
    }

    @Test(arguments: ["true", "false"])
    func trueAndFalseAreBooleans(word: String) {
        #expect(appended("backup:\n  enabled: \(word)\n").issues.allSatisfy { $0.code != "not-a-boolean" })
    }

    @Test func aQuotedVersionSaysToDropTheQuotes() throws {
        let result = T.load(T.validHipaa.replacingOccurrences(of: "version: 1", with: "version: \"1\""))
        let diagnostic = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(diagnostic.issue == .versionNotANumber(found: "1"))
        #expect(diagnostic.location == SourceLocation(file: "pod.yaml", line: 1, column: 10))
        #expect(diagnostic.issue.hint == "write 'version: 1', without quotes")
    }

    @Test func anotherVersionIsStillUnsupported() {
        let result = T.load(T.validHipaa.replacingOccurrences(of: "version: 1", with: "version: 2"))
        #expect(result.errors.map(\.issue) == [.unsupportedVersion(found: "2")])
    }

    @Test func twoListenersOnOnePort() throws {
        let text = T.validHipaa.replacingOccurrences(
            of: "      certificate: file:certs/acme.pem\n",
            with: "      certificate: file:certs/acme.pem\n    - { protocol: https, port: 443, certificate: file:certs/b.pem }\n")
        let result = T.load(text)
        let diagnostic = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(diagnostic.issue == .duplicatePort(
            path: "loadBalancer.listeners[1].port", port: 443, first: SourceLocation(file: "pod.yaml", line: 13, column: 13)))
        #expect(diagnostic.location == SourceLocation(file: "pod.yaml", line: 15, column: 32))
        #expect(diagnostic.issue.hint != nil)
    }

    @Test func listenersOnTwoPortsPass() {
        let text = T.validHipaa.replacingOccurrences(
            of: "      certificate: file:certs/acme.pem\n",
            with: "      certificate: file:certs/acme.pem\n    - { protocol: https, port: 8443, certificate: file:certs/b.pem }\n")
        #expect(T.load(text).diagnostics.isEmpty)
    }

    @Test func aMalformedEnvNameIsNamedAsSuch() throws {
        let extra = "databases:\n  - name: db\n    engine: postgres\n    password: env:db-password\n"
        let result = appended(extra)
        let diagnostic = try #require(result.errors.first { $0.issue.code == "malformed-env-reference" })
        #expect(diagnostic.issue == .malformedEnvironmentReference(path: "databases[0].password"))
        #expect(diagnostic.location == T.appendedPosition(of: "env:db-password", in: extra))
        #expect(!result.issues.contains(.inlineSecret(path: "databases[0].password")))
        // The message does not repeat the value: it may be a secret pasted after `env:`.
        #expect(!diagnostic.diagnostic.message.contains("db-password"))
        #expect(diagnostic.issue.hint?.contains("env:DB_PASSWORD") == true)
    }

    @Test func aWellFormedEnvNamePasses() {
        let extra = "databases:\n  - name: db\n    engine: postgres\n    password: env:DB_PASSWORD\n"
        #expect(!appended(extra).issues.contains { $0.code == "malformed-env-reference" || $0.code == "inline-secret" })
    }

    @Test func customerAccessFromTheWholeInternetUnderHipaa() throws {
        let extra = "monitoring:\n  customerAccess:\n    enabled: true\n    cidrs: [192.168.10.0/24, 0.0.0.0/0]\n"
        let result = appended(extra)
        let diagnostic = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(diagnostic.issue == .openCustomerAccess(path: "monitoring.customerAccess.cidrs[1]"))
        #expect(diagnostic.location == T.appendedPosition(of: "0.0.0.0/0", in: extra))
        #expect(diagnostic.issue.hint?.contains("cidrs") == true)
    }

    @Test func customerAccessFromTheCustomersNetworkPasses() {
        #expect(appended("monitoring:\n  customerAccess:\n    enabled: true\n    cidrs: [192.168.10.0/24]\n").diagnostics.isEmpty)
    }

    @Test func customerAccessFromTheWholeInternetIsAllowedUnderDev() {
        let text = T.validHipaa.replacingOccurrences(of: "profile: hipaa", with: "profile: dev")
            + "monitoring:\n  customerAccess:\n    enabled: true\n    cidrs: [0.0.0.0/0]\n"
        #expect(!T.load(text).issues.contains { $0.code == "open-customer-access" })
    }

    /// Every hipaa error carries a hint that says how to fix it.
    @Test func everyHipaaErrorSaysHowToFixIt() {
        let text = T.validHipaa.replacingOccurrences(of: "protocol: https", with: "protocol: http")
            .replacingOccurrences(of: "      certificate: file:certs/acme.pem\n", with: "")
            + "encryption:\n  enabled: false\nlogging:\n  enabled: false\nmonitoring:\n  enabled: false\nbackup:\n  enabled: false\n"
        let hipaa = T.load(text).errors.filter { $0.issue.code == "profile-requires" }
        #expect(hipaa.count >= 5)
        for diagnostic in hipaa {
            let hint = diagnostic.issue.hint ?? ""
            #expect(!hint.isEmpty && !hint.hasPrefix("use 'profile: dev'"), "\(diagnostic.issue.message): \(hint)")
        }
    }
}
