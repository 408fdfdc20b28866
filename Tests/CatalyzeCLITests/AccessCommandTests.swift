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

    func registrySerials(_ folder: TemporaryDirectory) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.path("catalyze.access.grants.json")))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let grants = object?["grants"] as? [[String: Any]] ?? []
        return grants.compactMap { $0["serial"] as? String }
    }

    @Test func caInitGrantListRevokeAuditRoundTrip() throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-cli-access")
        defer { folder.remove() }
        let state = ["--state", folder.path("catalyze.lock.json"), "-f", folder.path("pod.yaml")]
        try run(["ca", "init", "--out", folder.path("ca")])
        #expect(try FileManager.default.attributesOfItem(atPath: folder.path("ca"))[.posixPermissions] as? Int == 0o600)
        try SSHDCommand.makeKeyPair(at: folder.path("alice"))
        try run(["grant", "--to", "alice", "--key", folder.path("alice.pub"), "--ttl", "30m", "--target", "app01",
                 "--ca", folder.path("ca"), "--pod", "acme", "--reason", "ticket 1"] + state)
        let listed = try SSHDCommand.sshKeygen(["-L", "-f", folder.path("alice-cert.pub")])
        #expect(listed.status == 0, "\(listed.errors)")
        #expect(listed.output.contains("acme-app01"))
        try run(["list", "--json"] + state)
        let serials = try registrySerials(folder)
        #expect(serials.count == 1)
        try run(["revoke", serials[0]] + state)
        let query = try SSHDCommand.sshKeygen(["-Q", "-f", folder.path("catalyze.access.krl"), folder.path("alice-cert.pub")])
        #expect(query.output.contains("REVOKED"))
        try run(["audit", "--verify"] + state)
        try run(["audit", "--json"] + state)
    }

    @Test func auditVerifyFailsOnATamperedLog() throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-cli-access")
        defer { folder.remove() }
        let state = ["--state", folder.path("catalyze.lock.json"), "-f", folder.path("pod.yaml")]
        try run(["ca", "init", "--out", folder.path("ca")])
        try SSHDCommand.makeKeyPair(at: folder.path("bob"))
        for container in ["app01", "app02"] {
            try run(["grant", "--to", "bob", "--key", folder.path("bob.pub"), "--ttl", "1h", "--target", container,
                     "--ca", folder.path("ca"), "--pod", "acme"] + state)
        }
        let log = folder.path("catalyze.access.audit.jsonl")
        let text = try String(contentsOfFile: log, encoding: .utf8)
        try text.replacingOccurrences(of: "acme-app01", with: "acme-db01").write(toFile: log, atomically: true, encoding: .utf8)
        #expect(throws: ExitCode.failure) { try run(["audit", "--verify"] + state) }
    }

    @Test func refusesABadTTLATTLOverTheCapAndAMissingPodName() throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-cli-access")
        defer { folder.remove() }
        let state = ["--state", folder.path("catalyze.lock.json"), "-f", folder.path("pod.yaml")]
        try run(["ca", "init", "--out", folder.path("ca")])
        try SSHDCommand.makeKeyPair(at: folder.path("eve"))
        let base = ["grant", "--to", "eve", "--key", folder.path("eve.pub"), "--target", "app01", "--ca", folder.path("ca")]
        #expect(throws: ExitCode.failure) { try run(base + ["--ttl", "soon", "--pod", "acme"] + state) }
        #expect(throws: ExitCode.failure) { try run(base + ["--ttl", "9h", "--pod", "acme"] + state) }
        #expect(throws: ExitCode.failure) { try run(base + ["--ttl", "2h", "--pod", "acme", "--emergency", "--reason", "db down"] + state) }
        #expect(throws: ExitCode.failure) { try run(base + ["--ttl", "1h"] + state) }
        #expect(!FileManager.default.fileExists(atPath: folder.path("eve-cert.pub")))
    }

    @Test func caInitRefusesToOverwrite() throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-cli-access")
        defer { folder.remove() }
        try run(["ca", "init", "--out", folder.path("ca")])
        #expect(throws: ExitCode.failure) { try run(["ca", "init", "--out", folder.path("ca")]) }
    }
}
