import CatalyzeCore
import Testing
@testable import CatalyzeManifest

/// Secrets must be references (`env:`, `file:`, `kms:`, ARNs); key material is refused anywhere,
/// and no diagnostic ever repeats a secret's text.
@Suite struct InlineSecretScanTests {
    typealias T = ManifestTesting

    static let pem = """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEIGBzq0Fqv0S5m2C9n1W9qK7YlLw0sU3vXc2o8T1cQ0nD
        -----END PRIVATE KEY-----
        """

    private func database(password: String) -> String {
        T.validHipaa + "databases:\n  - name: db\n    engine: postgres\n    storage: { size: 10GiB }\n    password: \(password)\n"
    }

    @Test(arguments: ["hunter2", "\"correct horse battery staple\"", "DB_PASSWORD"])
    func inlinePasswordIsAnError(password: String) throws {
        let text = database(password: password)
        let result = T.load(text)
        let at = try #require(T.position(of: password, in: text))
        #expect(result.diagnostics == [
            .init(.inlineSecret(path: "databases[0].password"), at: at),
        ])
        #expect(result.manifest == nil)
    }

    /// `env:` with a bad name is a reference gone wrong, not an inline secret: its own error, which
    /// does not repeat the text (it may be a secret pasted after `env:`).
    @Test(arguments: ["env:1BAD", "\"env:\"", "env:db-password"])
    func malformedEnvReferenceIsItsOwnError(password: String) throws {
        let text = database(password: password)
        let result = T.load(text)
        let at = try #require(T.position(of: password, in: text))
        #expect(result.diagnostics == [
            .init(.malformedEnvironmentReference(path: "databases[0].password"), at: at),
        ])
        #expect(result.manifest == nil)
    }

    @Test func referencedPasswordsAreAccepted() throws {
        for (text, reference) in [("env:DB_PASSWORD", SecretReference.environment("DB_PASSWORD")),
                                  ("file:/run/secrets/db", .file("/run/secrets/db"))] {
            let result = T.load(database(password: text))
            #expect(result.diagnostics.isEmpty, "\(text): \(result.diagnostics.map(\.diagnostic))")
            #expect(result.manifest?.databases.first?.password == reference)
        }
    }

    @Test(arguments: ["my-certificate-body", "MIIDdzCCAl+gAwIBAgIE"])
    func inlineCertificateIsAnError(certificate: String) throws {
        let text = T.validHipaa.replacingOccurrences(of: "file:certs/acme.pem", with: certificate)
        let result = T.load(text)
        let at = try #require(T.position(of: certificate, in: text))
        #expect(result.diagnostics == [
            .init(.inlineSecret(path: "loadBalancer.listeners[0].certificate"), at: at),
        ])
    }

    @Test(arguments: ["arn:aws:acm:us-east-1:123456789012:certificate/8f1a2b3c", "env:TLS_CERT", "file:/etc/tls/acme.pem"])
    func referencedCertificatesAreAccepted(certificate: String) {
        let text = T.validHipaa.replacingOccurrences(of: "file:certs/acme.pem", with: certificate)
        #expect(T.load(text).diagnostics.isEmpty)
    }

    @Test(arguments: ["kms:alias/acme", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"])
    func encryptionKeyReferencesAreAccepted(key: String) throws {
        let result = T.load(T.validHipaa + "encryption:\n  enabled: true\n  key: \(key)\n")
        #expect(result.diagnostics.isEmpty)
        #expect(result.manifest?.encryption.key == key)
    }

    @Test func inlineEncryptionKeyIsAnError() {
        let result = T.load(T.validHipaa + "encryption:\n  key: 0123456789abcdef0123456789abcdef\n")
        #expect(result.diagnostics == [
            .init(.inlineSecret(path: "encryption.key"), at: SourceLocation(file: "pod.yaml", line: 19, column: 8)),
        ])
    }

    /// Key material is refused in any field, not only in the secret ones.
    @Test(arguments: ["pod.customer", "apps[0].image", "access.caPublicKey", "regions[0].zones[0]"])
    func pemAnywhereIsAnError(path: String) throws {
        let block = "|\n" + Self.pem.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n") + "\n"
        let text: String
        switch path {
        case "pod.customer": text = T.validHipaa.replacingOccurrences(of: "customer: Acme Health", with: "customer: \(block)")
        case "apps[0].image": text = T.validHipaa.replacingOccurrences(of: "image: registry.example/app:1\n", with: "image: \(block)")
        case "access.caPublicKey": text = T.validHipaa + "access:\n  caPublicKey: \(block)"
        default: text = T.validHipaa.replacingOccurrences(of: "region: us-east-1\n", with: "region: us-east-1\n    zones:\n      - \(block)")
        }
        let result = T.load(text)
        let at = try #require(T.position(of: "|", in: text))
        #expect(result.diagnostics == [.init(.inlineSecret(path: path), at: at)])
    }

    @Test func openSSHPrivateKeyOnOneLineIsAnError() throws {
        let text = T.validHipaa + "access:\n  caPublicKey: \"-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA\"\n"
        let result = T.load(text)
        #expect(result.issues == [.inlineSecret(path: "access.caPublicKey")])
        #expect(result.diagnostics.first?.location == SourceLocation(file: "pod.yaml", line: 19, column: 16))
    }

    /// A secret that also breaks another rule is reported once, as an inline secret: the other
    /// diagnostic would print the secret's text.
    @Test(arguments: [
        ("password: 31415926535", "31415926535"),
        ("password: true", "true"),
    ])
    func secretOfTheWrongTypeIsNotEchoed(line: String, secret: String) {
        let text = T.validHipaa + "databases:\n  - name: db\n    engine: postgres\n    storage: { size: 10GiB }\n    \(line)\n"
        let result = T.load(text)
        #expect(result.issues == [.inlineSecret(path: "databases[0].password")])
        #expect(!rendered(result).contains(secret))
    }

    @Test func pemInANameIsNotEchoed() {
        let text = T.validHipaa.replacingOccurrences(of: "name: acme", with: "name: \"-----BEGIN RSA PRIVATE KEY----- MIIEpAIBAAKCAQEA\"")
        let result = T.load(text)
        #expect(result.issues == [.inlineSecret(path: "pod.name")])
        #expect(!rendered(result).contains("MIIEpAIBAAKCAQEA"))
    }

    @Test func certificateOnAPlainListenerIsNotEchoed() {
        let text = T.validHipaa
            .replacingOccurrences(of: "file:certs/acme.pem", with: "\"-----BEGIN CERTIFICATE----- MIIDdzCCAl\"")
            .replacingOccurrences(of: "protocol: https", with: "protocol: http")
            .replacingOccurrences(of: "profile: hipaa", with: "profile: dev")
        let result = T.load(text)
        #expect(result.errors.map(\.issue) == [.inlineSecret(path: "loadBalancer.listeners[0].certificate")])
        #expect(!rendered(result).contains("MIIDdzCCAl"))
    }

    @Test func messageAndHintNeverHoldTheValue() {
        let issue = ManifestIssue.inlineSecret(path: "databases[0].password")
        #expect(issue.message == "databases[0].password holds an inline secret; write a reference instead (env:NAME or file:PATH)")
        #expect(issue.hint == "the secret must never be stored in the manifest, the lockfile or a plan")
    }

    private func rendered(_ result: ManifestLoadResult) -> String {
        result.diagnostics.map { "\($0.diagnostic) \($0.issue)" }.joined(separator: "\n")
    }
}
