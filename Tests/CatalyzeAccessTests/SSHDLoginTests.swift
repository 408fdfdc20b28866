import CatalyzeCore
import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeAccess

/// End-to-end: a real sshd configured exactly as `HostLogin` tells every host to be (the same
/// files and lines the AWS and Rackspace boot configurations install),
/// and the real `ssh` client presenting certificates that `AccessService` signed.
@Suite(.serialized) struct SSHDLoginTests {
    /// A host for `acme.primary.app01` trusting the fixture's CA, with its KRL, served by sshd.
    struct Host {
        let fixture: AccessFixture
        let configuration: HostLogin
        let server: SSHDServer

        init(_ fixture: AccessFixture) throws {
            self.fixture = fixture
            configuration = try HostLogin(
                ca: fixture.ca.publicKey, principal: try Principal(pod: "acme", region: "primary", container: "app01"),
                loginUser: SSHDTestUser.name, revocationList: try fixture.service().revocationList(),
                directory: fixture.folder.path("host"))
            for folder in [configuration.principalsDirectory, configuration.revocationListDirectory] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            for file in configuration.files { try Self.install(file.contents, at: file.path, mode: file.mode) }
            // As the boot configurations do: the KRL's folder belongs to the KRL account.
            try SSHDTestUser.ensureExists(configuration.revocationUser)
            for path in [configuration.revocationListDirectory, configuration.revocationListPath] {
                let chown = try SSHDCommand.run("/bin/chown", [configuration.revocationUser, path])
                guard chown.status == 0 else { throw SSHDError.toolFailed("chown", chown.errors) }
            }
            server = try SSHDServer(
                folder: fixture.folder, hostConfiguration: configuration.sshdConfigLines, otherUsers: [configuration.revocationUser])
        }

        /// A known_hosts file (in the fixture's folder) trusting this sshd's host key at its address.
        func knownHosts() throws -> String {
            let key = try String(contentsOfFile: server.hostKey + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let path = fixture.folder.path("known_hosts")
            try "[127.0.0.1]:\(server.port) \(key)\n".write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        /// Puts the current KRL on the host by hand (the push itself is tested on its own).
        func pushRevocationList() throws {
            try Self.install(try fixture.service().revocationList(), at: configuration.revocationListPath, mode: 0o644)
        }

        static func install(_ contents: [UInt8], at path: String, mode: UInt16) throws {
            try Data(contents).write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: Int(mode)], ofItemAtPath: path)
        }

        /// Logs in with the engineer's key and `certificate`, from `address`.
        func login(_ certificate: SignedCertificate, from address: String = "127.0.0.1") throws -> SSHDCommandResult {
            let path = try fixture.write(certificate, as: "engineer-cert-\(certificate.certificate.serial).pub")
            return try server.login(identity: fixture.engineerKeyPath, certificate: path, from: address)
        }

        /// True once sshd has logged `text` (it may log a moment after the client gives up).
        func logged(_ text: String) -> Bool { server.waitForLog(seconds: 5) { $0.contains(text) } }

        /// True when sshd saw the certificate offered and refused it (not merely skipped by the client),
        /// and never accepted it.
        func refused(_ grant: GrantResult) -> Bool {
            logged("Failed publickey for \(SSHDTestUser.name) from 127.0.0.1")
                && logged("(serial \(grant.grant.serial))")
                && !server.log.contains("Accepted publickey for \(SSHDTestUser.name) from 127.0.0.1 port")
        }

        func stop() {
            server.stop()
            fixture.remove()
        }
    }

    @Test func aFreshGrantLogsIn() throws {
        let host = try Host(try AccessFixture())
        defer { host.stop() }
        let grant = try host.fixture.service(at: Date()).grant(try host.fixture.request(ttl: "10m"), ca: host.fixture.ca, actor: "customer")
        let result = try host.login(grant.certificate)
        #expect(result.status == 0, "ssh: \(result.errors)\nsshd: \(host.server.log)")
        #expect(host.logged("ID alice for acme.primary.app01: ticket 4711 (serial \(grant.grant.serial))"))
    }

    @Test func anExpiredGrantIsRefused() throws {
        let host = try Host(try AccessFixture())
        defer { host.stop() }
        let twoHoursAgo = Date().addingTimeInterval(-2 * 3_600)
        let grant = try host.fixture.service(at: twoHoursAgo).grant(try host.fixture.request(ttl: "1h"), ca: host.fixture.ca, actor: "customer")
        let result = try host.login(grant.certificate)
        #expect(result.status != 0)
        #expect(host.logged("Certificate invalid: expired"), "\(host.server.log)")
        #expect(host.refused(grant))
    }

    @Test func aRevokedGrantIsRefused() throws {
        let host = try Host(try AccessFixture())
        defer { host.stop() }
        let service = host.fixture.service(at: Date())
        let grant = try service.grant(try host.fixture.request(ttl: "10m"), ca: host.fixture.ca, actor: "customer")
        #expect(try host.login(grant.certificate).status == 0, "\(host.server.log)")
        _ = try service.revoke(serial: grant.grant.serial, actor: "customer")
        try host.pushRevocationList()
        let result = try host.login(grant.certificate)
        #expect(result.status != 0)
        #expect(host.logged("revoked by file \(host.configuration.revocationListPath)"), "\(host.server.log)")
    }

    @Test func anotherContainersPrincipalIsRefused() throws {
        let host = try Host(try AccessFixture())
        defer { host.stop() }
        let grant = try host.fixture.service(at: Date()).grant(
            try host.fixture.request(container: "app02", ttl: "10m"), ca: host.fixture.ca, actor: "customer")
        let result = try host.login(grant.certificate)
        #expect(result.status != 0)
        #expect(host.logged("Certificate does not contain an authorized principal"), "\(host.server.log)")
        #expect(host.refused(grant))
    }

    @Test func aCertificateFromAnotherCAIsRefused() throws {
        let host = try Host(try AccessFixture())
        defer { host.stop() }
        let impostor = try CertificateAuthorityKey.generate(comment: "impostor", using: SeededRandomSource(seed: 666))
        let grant = try host.fixture.service(at: Date()).grant(try host.fixture.request(ttl: "10m"), ca: impostor, actor: "mallory")
        let result = try host.login(grant.certificate)
        #expect(result.status != 0)
        // sshd names no reason here; it refuses the certificate and logs the untrusted CA's fingerprint.
        #expect(host.logged("(serial \(grant.grant.serial)) CA ED25519 \(impostor.publicKey.fingerprint)"), "\(host.server.log)")
        #expect(host.refused(grant))
    }

    @Test func aSourceRestrictedGrantWorksOnlyFromItsAddress() throws {
        let host = try Host(try AccessFixture())
        defer { host.stop() }
        let grant = try host.fixture.service(at: Date()).grant(
            try host.fixture.request(ttl: "10m", source: "127.0.0.2/32"), ca: host.fixture.ca, actor: "customer")
        let outside = try host.login(grant.certificate, from: "127.0.0.1")
        #expect(outside.status != 0)
        #expect(host.logged("not from a permitted source address (127.0.0.1)"), "\(host.server.log)")
        #expect(host.refused(grant))
        let inside = try host.login(grant.certificate, from: "127.0.0.2")
        #expect(inside.status == 0, "ssh: \(inside.errors)\nsshd: \(host.server.log)")
    }

    /// Runs `command` over ssh as the support account with the engineer's key and `certificate`.
    func run(_ host: Host, _ certificate: SignedCertificate, _ command: String) throws -> SSHDCommandResult {
        let path = try host.fixture.write(certificate, as: "session-cert-\(certificate.certificate.serial).pub")
        return try SSHDCommand.run("/usr/bin/ssh", [
            "-F", "/dev/null", "-n", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "LogLevel=ERROR", "-i", host.fixture.engineerKeyPath,
            "-o", "CertificateFile=\(path)", "-p", String(host.server.port), "\(SSHDTestUser.name)@127.0.0.1", command,
        ])
    }

    /// 45 CFR 164.312(a)(2)(iii): sshd checks a certificate only at login; the session wrapper
    /// (the principal's forced command) ends the session when the certificate expires.
    @Test func aSessionEndsWhenItsCertificateExpires() throws {
        let host = try Host(try AccessFixture())
        defer { host.stop() }
        let grant = try host.fixture.service(at: Date()).grant(try host.fixture.request(ttl: "5s"), ca: host.fixture.ca, actor: "customer")
        let started = Date()
        let result = try run(host, grant.certificate, "echo started; sleep 60; echo survived")
        let lasted = Date().timeIntervalSince(started)
        #expect(result.output.contains("started"), "ssh: \(result.errors)\nsshd: \(host.server.log)")
        #expect(!result.output.contains("survived"))
        #expect(result.status != 0)
        // Ended at the certificate's end (5 s; at most `sessionGraceSeconds` later), not by the command.
        #expect(lasted < Double(5 + HostLogin.sessionGraceSeconds + 15), "the session lasted \(lasted) s")
    }

    @Test func aCommandWithinTheCertificatesLifetimeRunsAsAsked() throws {
        let host = try Host(try AccessFixture())
        defer { host.stop() }
        let grant = try host.fixture.service(at: Date()).grant(try host.fixture.request(ttl: "10m"), ca: host.fixture.ca, actor: "customer")
        let result = try run(host, grant.certificate, "echo \"$SSH_ORIGINAL_COMMAND\" | wc -c; exit 3")
        #expect(result.status == 3, "ssh: \(result.errors)\nsshd: \(host.server.log)")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) != "")
    }
}
