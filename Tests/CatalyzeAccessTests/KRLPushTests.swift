import CatalyzeCore
import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeAccess

/// Delivering a new KRL to a running host, against a real sshd configured by `HostLogin`: the host
/// keeps refusing nothing new until the push, then refuses the revoked certificate at once; the
/// push certificate can do nothing but run the installer.
@Suite(.serialized) struct KRLPushTests {
    typealias Host = SSHDLoginTests.Host

    @Test func aRevocationPushedWithTheCLIReachesARunningHost() async throws {
        let host = try Host(try AccessFixture())
        defer { host.stop() }
        let service = host.fixture.service(at: Date())
        let grant = try service.grant(try host.fixture.request(ttl: "10m"), ca: host.fixture.ca, actor: "customer")
        #expect(try host.login(grant.certificate).status == 0, "\(host.server.log)")
        _ = try service.revoke(serial: grant.grant.serial, actor: "customer")
        // The host still has the KRL it started with: the revoked certificate still gets in.
        #expect(try host.login(grant.certificate).status == 0, "before the push the host cannot know")

        let folder = host.fixture.folder
        // No lockfile instance has this address: without --known-hosts the host is not contacted.
        let arguments = [
            "access", "push-krl", "--ca", host.fixture.caPath, "--host", "127.0.0.1:\(host.server.port)",
            "--pod", "acme", "--container", "app01", "--region", "primary", "--state", folder.path("catalyze.lock.json"), "-f", folder.path("none.yaml"),
        ]
        let unknown = try await runCommand(catalyzeBinary, arguments, in: folder.url)
        #expect(unknown.status == 1, "\(unknown.stdout)\n\(unknown.stderr)")
        #expect(unknown.stderr.contains("✗ 127.0.0.1:\(host.server.port): no instance of the lockfile has this address"), "\(unknown.stderr)")
        #expect(try host.login(grant.certificate).status == 0, "nothing was pushed")
        // With the host's key vouched for by the operator (--known-hosts), it is pushed.
        let push = try await runCommand(catalyzeBinary, arguments + ["--known-hosts", try host.knownHosts()], in: folder.url)
        #expect(push.status == 0, "stdout: \(push.stdout)\nstderr: \(push.stderr)\nsshd: \(host.server.log)")
        #expect(push.stdout.contains("✓ 127.0.0.1:\(host.server.port): revocation list version 0x"), "\(push.stdout)")
        #expect(push.stdout.contains("Revocation list pushed to 1 of 1 host."))
        let installed = try Data(contentsOf: URL(fileURLWithPath: host.configuration.revocationListPath))
        #expect(installed.starts(with: Array("SSHKRL\n\0".utf8)))

        let after = try host.login(grant.certificate)
        #expect(after.status != 0)
        #expect(host.logged("revoked by file \(host.configuration.revocationListPath)"), "\(host.server.log)")
        // The push is audited with its outcome, and the chain still verifies.
        let entries = try service.auditEntries()
        let pushed = try #require(entries.last { $0.kind == .pushKRL })
        #expect(pushed.details["127.0.0.1:\(host.server.port)"] == "installed")
        #expect(try service.verifyAudit().isIntact)
    }

    @Test func anUnreachableHostFailsThePushButNotTheOthers() async throws {
        let host = try Host(try AccessFixture())
        defer { host.stop() }
        let service = host.fixture.service(at: Date())
        let grant = try service.grant(try host.fixture.request(ttl: "10m"), ca: host.fixture.ca, actor: "customer")
        _ = try service.revoke(serial: grant.grant.serial, actor: "customer")
        let folder = host.fixture.folder
        let push = try await runCommand(catalyzeBinary, [
            "access", "push-krl", "--ca", host.fixture.caPath, "--host", "127.0.0.1:\(host.server.port)", "--host", "127.0.0.1:1",
            "--pod", "acme", "--container", "app01", "--region", "primary", "--state", folder.path("catalyze.lock.json"), "-f", folder.path("none.yaml"),
            "--connect-timeout", "3", "--known-hosts", try host.knownHosts(),
        ], in: folder.url)
        #expect(push.status == 1, "\(push.stdout)\n\(push.stderr)")
        #expect(push.stdout.contains("✓ 127.0.0.1:\(host.server.port): revocation list version 0x"), "\(push.stdout)")
        #expect(push.stderr.contains("✗ 127.0.0.1:1: "), "\(push.stderr)")
        #expect(push.stdout.contains("Revocation list pushed to 1 of 2 hosts."))
        #expect(try host.login(grant.certificate).status != 0, "the reachable host has the new list")
        let pushed = try #require(try service.auditEntries().last { $0.kind == .pushKRL })
        #expect(pushed.details["127.0.0.1:1"]?.hasPrefix("failed: ") == true)
    }

    @Test func thePushCertificateCanOnlyRunTheInstaller() throws {
        let host = try Host(try AccessFixture())
        defer { host.stop() }
        let service = host.fixture.service(at: Date())
        // A push needs the grants registry (the source of its list): the first grant makes it.
        _ = try service.grant(try host.fixture.request(ttl: "10m"), ca: host.fixture.ca, actor: "customer")
        let push = try service.prepareRevocationPush(ca: host.fixture.ca, principals: ["acme.primary.app01"], actor: "customer")
        #expect(push.certificate.certificate.principals == ["krl@acme.primary.app01"])
        #expect(push.certificate.certificate.extensions.isEmpty)
        #expect(push.certificate.certificate.validBefore - push.certificate.certificate.validAfter <= 5 * 60 + 120)
        let folder = host.fixture.folder
        let keyPath = folder.path("push-key")
        try push.privateKeyText(using: SeededRandomSource(seed: 9)).write(toFile: keyPath, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
        let certificatePath = try host.fixture.write(push.certificate, as: "push-key-cert.pub")
        let before = try Data(contentsOf: URL(fileURLWithPath: host.configuration.revocationListPath))

        func ssh(_ user: String, key: String, certificate: String, _ command: String) throws -> SSHDCommandResult {
            try SSHDCommand.run("/usr/bin/ssh", [
                "-F", "/dev/null", "-n", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "LogLevel=ERROR", "-i", key,
                "-o", "CertificateFile=\(certificate)", "-p", String(host.server.port), "\(user)@127.0.0.1", command,
            ])
        }
        // Asked for a shell command, it runs the installer instead, which refuses empty input.
        let forced = try ssh(host.configuration.revocationUser, key: keyPath, certificate: certificatePath, "id")
        #expect(forced.status != 0)
        #expect(!forced.output.contains("uid="), "\(forced.output)")
        #expect(forced.errors.contains("not an OpenSSH KRL"), "\(forced.errors)\n\(host.server.log)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: host.configuration.revocationListPath)) == before)
        // It opens no other account, and a support certificate does not open the KRL account.
        let asSupport = try ssh(SSHDTestUser.name, key: keyPath, certificate: certificatePath, "true")
        #expect(asSupport.status != 0)
        let grant = try service.grant(try host.fixture.request(ttl: "10m"), ca: host.fixture.ca, actor: "customer")
        let supportCertificate = try host.fixture.write(grant.certificate, as: "engineer-cert.pub")
        let supportAsKRL = try ssh(host.configuration.revocationUser, key: host.fixture.engineerKeyPath, certificate: supportCertificate, "true")
        #expect(supportAsKRL.status != 0)
        #expect(host.logged("Certificate does not contain an authorized principal"), "\(host.server.log)")
    }

    @Test func aPushSignedByAnotherCAIsRefusedBeforeAnyHostIsContacted() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let service = fixture.service(at: Date())
        _ = try service.grant(try fixture.request(ttl: "10m"), ca: fixture.ca, actor: "customer")
        let other = try CertificateAuthorityKey.generate(comment: "other", using: SeededRandomSource(seed: 7))
        #expect(throws: AccessError.self) { try service.prepareRevocationPush(ca: other, principals: ["acme-app01"], actor: "x") }
        #expect(throws: AccessError.nothingToPush) { try service.prepareRevocationPush(ca: fixture.ca, principals: [], actor: "x") }
    }
}
