import ArgumentParser
import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeCLI

/// The `access` commands end to end on files (the library has its own, finer tests).
@Suite struct AccessCommandTests {
    func run(_ arguments: [String]) throws {
        var command = try CatalyzeCommand.parseAsRoot(["access"] + arguments)
        try command.run()
    }

    /// `run` for an async subcommand (revoke, push-krl).
    func runAsync(_ arguments: [String]) async throws {
        var command = try #require(try CatalyzeCommand.parseAsRoot(["access"] + arguments) as? AsyncParsableCommand)
        try await command.run()
    }

    /// A pod `acme` (containers app01, app02, api01, logging01, monitoring01) whose hosts trust `ca.pub`.
    static func writeManifest(_ folder: TemporaryDirectory, caPublicKey: String? = "file:ca.pub") throws {
        let access = caPublicKey.map { "access:\n  caPublicKey: \($0)\n" } ?? ""
        try """
            version: 1
            pod: { name: acme, customer: Acme }
            profile: dev
            regions:
              - { name: primary, provider: aws, region: us-east-1 }
            loadBalancer:
              listeners:
                - { protocol: http, port: 80, targetPort: 8080 }
            apps:
              - { name: app, replicas: 2, image: registry.example/app:1 }

            """.appending(access).write(toFile: folder.path("pod.yaml"), atomically: true, encoding: .utf8)
    }

    func registrySerials(_ folder: TemporaryDirectory) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.path("catalyze.access.grants.json")))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let grants = object?["grants"] as? [[String: Any]] ?? []
        return grants.compactMap { $0["serial"] as? String }
    }

    @Test func caInitGrantListRevokeAuditRoundTrip() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-cli-access")
        defer { folder.remove() }
        let state = ["--state", folder.path("catalyze.lock.json"), "-f", folder.path("pod.yaml")]
        try run(["ca", "init", "--out", folder.path("ca")])
        #expect(try FileManager.default.attributesOfItem(atPath: folder.path("ca"))[.posixPermissions] as? Int == 0o600)
        try Self.writeManifest(folder)
        try SSHDCommand.makeKeyPair(at: folder.path("alice"))
        try run(["grant", "--to", "alice", "--key", folder.path("alice.pub"), "--ttl", "30m", "--target", "app01",
                 "--ca", folder.path("ca"), "--reason", "ticket 1"] + state)
        let listed = try SSHDCommand.sshKeygen(["-L", "-f", folder.path("alice-cert.pub")])
        #expect(listed.status == 0, "\(listed.errors)")
        #expect(listed.output.contains("acme.primary.app01"))
        try run(["list", "--json"] + state)
        let serials = try registrySerials(folder)
        #expect(serials.count == 1)
        // A revocation is signed with the CA key: without it, nothing is revoked.
        await #expect(throws: ExitCode.failure) { try await runAsync(["revoke", serials[0]] + state) }
        try await runAsync(["revoke", serials[0], "--ca", folder.path("ca")] + state)
        let query = try SSHDCommand.sshKeygen(["-Q", "-f", folder.path("catalyze.access.krl"), folder.path("alice-cert.pub")])
        #expect(query.output.contains("REVOKED"))
        try run(["audit", "--verify"] + state)
        try run(["audit", "--json"] + state)
    }

    /// An emergency revoke never waits for the customer's CA key: the operator key (checked against
    /// `access.operatorPublicKey`) signs it instead, and `audit --verify` accepts either. Exactly one key.
    @Test func aRevokeIsSignedByTheCAOrTheOperatorKeyExactlyOne() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-cli-access")
        defer { folder.remove() }
        let state = ["--state", folder.path("catalyze.lock.json"), "-f", folder.path("pod.yaml")]
        try run(["ca", "init", "--out", folder.path("ca")])
        try run(["ca", "init", "--out", folder.path("operator")])
        try Self.writeManifest(folder, caPublicKey: "file:ca.pub\n  operatorPublicKey: file:operator.pub")
        try SSHDCommand.makeKeyPair(at: folder.path("carol"))
        for container in ["app01", "app02"] {
            try run(["grant", "--to", "carol", "--key", folder.path("carol.pub"), "--ttl", "1h", "--target", container,
                     "--ca", folder.path("ca"), "--out", folder.path("carol-\(container)-cert.pub")] + state)
        }
        let serials = try registrySerials(folder)
        try #require(serials.count == 2)
        // Both keys, or an operator key that is not the manifest's: refused, nothing revoked.
        await #expect(throws: ExitCode.failure) {
            try await runAsync(["revoke", serials[0], "--ca", folder.path("ca"), "--operator-key", folder.path("operator")] + state)
        }
        await #expect(throws: ExitCode.failure) { try await runAsync(["revoke", serials[0], "--operator-key", folder.path("ca")] + state) }
        // The push is the CA's to sign: an operator-signed revoke cannot push.
        await #expect(throws: ExitCode.failure) {
            try await runAsync(["revoke", serials[0], "--operator-key", folder.path("operator"), "--push"] + state)
        }
        let untouched = try SSHDCommand.sshKeygen(["-Q", "-f", folder.path("catalyze.access.krl"), folder.path("carol-app01-cert.pub")])
        #expect(!untouched.output.contains("REVOKED"), "\(untouched.output)")

        try await runAsync(["revoke", serials[0], "--operator-key", folder.path("operator")] + state)
        try await runAsync(["revoke", serials[1], "--ca", folder.path("ca")] + state)
        for container in ["app01", "app02"] {
            let query = try SSHDCommand.sshKeygen(["-Q", "-f", folder.path("catalyze.access.krl"), folder.path("carol-\(container)-cert.pub")])
            #expect(query.output.contains("REVOKED"), "\(container): \(query.output)")
        }
        let log = try String(contentsOfFile: folder.path("catalyze.access.audit.jsonl"), encoding: .utf8)
        let roles = try log.split(separator: "\n").map { line -> String? in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return (object?["signer"] as? [String: Any])?["role"] as? String
        }
        #expect(roles == ["ca", "ca", "operator", "ca"], "\(log)")
        try run(["audit", "--verify"] + state)
    }

    @Test func auditVerifyFailsOnATamperedLog() throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-cli-access")
        defer { folder.remove() }
        let state = ["--state", folder.path("catalyze.lock.json"), "-f", folder.path("pod.yaml")]
        try run(["ca", "init", "--out", folder.path("ca")])
        try Self.writeManifest(folder)
        try SSHDCommand.makeKeyPair(at: folder.path("bob"))
        for container in ["app01", "app02"] {
            try run(["grant", "--to", "bob", "--key", folder.path("bob.pub"), "--ttl", "1h", "--target", container,
                     "--ca", folder.path("ca")] + state)
        }
        let log = folder.path("catalyze.access.audit.jsonl")
        let text = try String(contentsOfFile: log, encoding: .utf8)
        try text.replacingOccurrences(of: "acme.primary.app01", with: "acme.primary.db01").write(toFile: log, atomically: true, encoding: .utf8)
        #expect(throws: ExitCode.failure) { try run(["audit", "--verify"] + state) }
    }

    @Test func refusesABadTTLATTLOverTheCapAndWhatNoHostWouldAccept() throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-cli-access")
        defer { folder.remove() }
        let state = ["--state", folder.path("catalyze.lock.json"), "-f", folder.path("pod.yaml")]
        try run(["ca", "init", "--out", folder.path("ca")])
        try run(["ca", "init", "--out", folder.path("other-ca")])
        try SSHDCommand.makeKeyPair(at: folder.path("eve"))
        let base = ["grant", "--to", "eve", "--key", folder.path("eve.pub"), "--target", "app01"]
        // No manifest at -f: never the default cap, no grant.
        #expect(throws: ExitCode.failure) { try run(base + ["--ttl", "1h", "--ca", folder.path("ca")] + state) }
        try Self.writeManifest(folder)
        #expect(throws: ExitCode.failure) { try run(base + ["--ttl", "soon", "--ca", folder.path("ca")] + state) }
        #expect(throws: ExitCode.failure) { try run(base + ["--ttl", "9h", "--ca", folder.path("ca")] + state) }
        #expect(throws: ExitCode.failure) {
            try run(base + ["--ttl", "2h", "--emergency", "--reason", "db down", "--ca", folder.path("ca")] + state)
        }
        // A container the pod does not have, and a CA the pod's hosts do not trust.
        #expect(throws: ExitCode.failure) {
            try run(["grant", "--to", "eve", "--key", folder.path("eve.pub"), "--target", "app09", "--ttl", "1h", "--ca", folder.path("ca")] + state)
        }
        #expect(throws: ExitCode.failure) { try run(base + ["--ttl", "1h", "--ca", folder.path("other-ca")] + state) }
        // A pod whose hosts trust no CA at all.
        try Self.writeManifest(folder, caPublicKey: nil)
        #expect(throws: ExitCode.failure) { try run(base + ["--ttl", "1h", "--ca", folder.path("ca")] + state) }
        #expect(!FileManager.default.fileExists(atPath: folder.path("eve-cert.pub")))
        #expect(!FileManager.default.fileExists(atPath: folder.path("catalyze.access.grants.json")))
    }

    @Test func theBinaryExplainsEachRefusal() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-cli-access")
        defer { folder.remove() }
        try run(["ca", "init", "--out", folder.path("ca")])
        try run(["ca", "init", "--out", folder.path("other-ca")])
        try SSHDCommand.makeKeyPair(at: folder.path("eve"))
        func grant(_ extra: [String]) async throws -> CommandResult {
            try await runCommand(catalyzeBinary, ["access", "grant", "--to", "eve", "--key", "eve.pub", "--ttl", "1h"] + extra, in: folder.url)
        }
        let missing = try await grant(["--target", "app01", "--ca", "ca", "-f", "nowhere.yaml"])
        #expect(missing.status == 1 && missing.stderr.contains("nowhere.yaml: no such manifest"), "\(missing.stderr)")
        try Self.writeManifest(folder)
        let typo = try await grant(["--target", "app1", "--ca", "ca"])
        #expect(typo.status == 1 && typo.stderr.contains("--target 'app1' is not a container of pod 'acme'"), "\(typo.stderr)")
        #expect(typo.stderr.contains("Did you mean 'app01'?"), "\(typo.stderr)")
        let otherCA = try await grant(["--target", "app01", "--ca", "other-ca"])
        #expect(otherCA.status == 1 && otherCA.stderr.contains("is not the pod's CA"), "\(otherCA.stderr)")
        let badReason = try await grant(["--target", "app01", "--ca", "ca", "--reason", "a" + String(repeating: "\u{301}", count: 60_000)])
        #expect(badReason.status == 1 && badReason.stderr.contains("bytes"), "\(badReason.stderr.prefix(300))")
        let bidi = try await grant(["--target", "app01", "--ca", "ca", "--reason", "ticket \u{202E}1174"])
        #expect(bidi.status == 1 && bidi.stderr.contains("bidirectional"), "\(bidi.stderr)")
        try Self.writeManifest(folder, caPublicKey: nil)
        let noCA = try await grant(["--target", "app01", "--ca", "ca"])
        #expect(noCA.status == 1 && noCA.stderr.contains("names no access.caPublicKey"), "\(noCA.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("eve-cert.pub")))
    }

    /// A dev pod without logging has no logging endpoint: `expose` is refused before any lock,
    /// state or cloud is touched.
    @Test func exposingAServiceThePodDoesNotRunIsRefused() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-cli-access")
        defer { folder.remove() }
        try """
            version: 1
            pod: { name: acme, customer: Acme Health }
            profile: dev
            regions: [{ name: primary, provider: aws, region: us-east-1 }]
            loadBalancer: { listeners: [{ protocol: http, port: 80 }] }
            apps: [{ name: app, image: "registry.example/app:1" }]
            logging: { enabled: false }

            """.write(toFile: folder.path("pod.yaml"), atomically: true, encoding: .utf8)
        let result = try await runCommand(catalyzeBinary, ["access", "expose", "logging", "--cidr", "198.51.100.0/24"], in: folder.url)
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("logging is not deployed (logging.enabled: false in pod.yaml)"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted() == ["pod.yaml"], "nothing written")
    }

    @Test func caInitRefusesToOverwrite() throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-cli-access")
        defer { folder.remove() }
        try run(["ca", "init", "--out", folder.path("ca")])
        #expect(throws: ExitCode.failure) { try run(["ca", "init", "--out", folder.path("ca")]) }
    }
}
