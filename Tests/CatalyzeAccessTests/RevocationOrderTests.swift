import CatalyzeCore
import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeAccess

/// A revocation list only moves forward: the hosts' installer refuses an older list, and a push
/// refuses to start from a registry that is missing or behind the audit log. The installer tests
/// run the exact script a host is booted with (`HostLogin.installer`, as `SSHDLoginTests.Host`
/// installs it) with `sh`, `od` and `sort` from this machine.
@Suite(.serialized) struct RevocationOrderTests {
    /// Runs the host's installer with `krl` on standard input.
    static func install(_ host: SSHDLoginTests.Host, _ krl: [UInt8]) throws -> SSHDCommandResult {
        let input = host.fixture.folder.path("incoming-\(UUID().uuidString).krl")
        try Data(krl).write(to: URL(fileURLWithPath: input))
        return try SSHDCommand.run("/bin/sh", ["-c", "'\(host.configuration.installerPath)' < '\(input)'"])
    }

    static func list(version: UInt64, revoking serials: Set<UInt64> = [], by ca: SSHPublicKey) -> [UInt8] {
        RevocationList(version: version, generatedAt: 1_790_000_000, revokedSerials: serials.isEmpty ? [:] : [ca: serials]).encoded()
    }

    static func installed(_ host: SSHDLoginTests.Host) throws -> RevocationList {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: host.configuration.revocationListPath))
        return try RevocationList(decoding: Array(bytes), source: "host")
    }

    @Test func theInstallerTakesNewerAndEqualVersionsAndRefusesOlderOnes() throws {
        let host = try SSHDLoginTests.Host(try AccessFixture())
        defer { host.stop() }
        let ca = host.fixture.ca.publicKey
        let v5 = try Self.install(host, Self.list(version: 5, revoking: [11, 12], by: ca))
        #expect(v5.status == 0, "\(v5.errors)")
        #expect(v5.output.contains("revocation list version 0x0000000000000005 installed"), "\(v5.output)")
        #expect(try Self.installed(host).version == 5)

        // An older list (fewer serials: it would un-revoke 12) is refused and changes nothing.
        let v4 = try Self.install(host, Self.list(version: 4, revoking: [11], by: ca))
        #expect(v4.status == 1)
        #expect(v4.errors.contains("refusing KRL version 0x0000000000000004, older than the installed 0x0000000000000005"), "\(v4.errors)")
        #expect(try Self.installed(host).revokedSerials[ca] == [11, 12])

        // The same version again is a repeated push; a much newer one (past 2^63) still compares right.
        #expect(try Self.install(host, Self.list(version: 5, revoking: [11, 12], by: ca)).status == 0)
        let huge = try Self.install(host, Self.list(version: UInt64.max - 1, revoking: [11, 12, 13], by: ca))
        #expect(huge.status == 0, "\(huge.errors)")
        let back = try Self.install(host, Self.list(version: UInt64(Int64.max), by: ca))
        #expect(back.status == 1, "0x7fff… is older than 0xffff…fe")
        #expect(try Self.installed(host).version == UInt64.max - 1)
    }

    @Test func aTruncatedOrForeignListIsRefused() throws {
        let host = try SSHDLoginTests.Host(try AccessFixture())
        defer { host.stop() }
        let before = try Data(contentsOf: URL(fileURLWithPath: host.configuration.revocationListPath))
        let truncated = try Self.install(host, Array(Self.list(version: 9, by: host.fixture.ca.publicKey).prefix(14)))
        #expect(truncated.status == 1)
        #expect(truncated.errors.contains("truncated KRL"), "\(truncated.errors)")
        let foreign = try Self.install(host, Array("not a list at all".utf8))
        #expect(foreign.status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: host.configuration.revocationListPath)) == before)
    }

    @Test func versionsGrowWithEveryRevocationAndFollowTheClock() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let service = fixture.service(at: Date())
        let first = try service.grant(try fixture.request(ttl: "10m"), ca: fixture.ca, actor: "customer")
        let second = try service.grant(try fixture.request(ttl: "10m"), ca: fixture.ca, actor: "customer")
        _ = try service.revoke(serial: first.grant.serial, actor: "customer")
        let afterFirst = try GrantRegistry.load(from: fixture.paths.registry).revocationListVersion
        _ = try service.revoke(serial: second.grant.serial, actor: "customer")
        let afterSecond = try GrantRegistry.load(from: fixture.paths.registry).revocationListVersion
        #expect(afterSecond > afterFirst)
        // Microseconds since 1970: a registry put back from backup still yields newer versions later.
        #expect(afterFirst >= UInt64(Date().timeIntervalSince1970 - 60) * 1_000_000)
        #expect(try RevocationList(decoding: try service.revocationList(), source: "registry").version == afterSecond)
    }

    @Test func anOlderRegistryPutBackIsRefusedForEveryChange() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let service = fixture.service(at: Date())
        let grant = try service.grant(try fixture.request(ttl: "10m"), ca: fixture.ca, actor: "customer")
        let older = try Data(contentsOf: URL(fileURLWithPath: fixture.paths.registry))
        _ = try service.revoke(serial: grant.grant.serial, actor: "customer")
        try older.write(to: URL(fileURLWithPath: fixture.paths.registry))
        let behind = AccessError.registryBehindAudit(registry: fixture.paths.registry, recorded: 1, logHead: 2)
        #expect(throws: behind) { try service.grant(try fixture.request(ttl: "10m"), ca: fixture.ca, actor: "customer") }
        #expect(throws: behind) { try service.record(.expose, actor: "x", details: [:]) }
        #expect(throws: behind) { try service.revocationList() }
        // And a registry deleted beside a log with entries is not silently started afresh.
        try FileManager.default.removeItem(atPath: fixture.paths.registry)
        #expect(throws: AccessError.registryMissing(path: fixture.paths.registry)) {
            try service.grant(try fixture.request(ttl: "10m"), ca: fixture.ca, actor: "customer")
        }
    }

    @Test func aPushNeedsTheRegistryAndRefusesOneBehindTheAuditLog() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let service = fixture.service(at: Date())
        #expect(throws: AccessError.registryMissing(path: fixture.paths.registry)) {
            try service.prepareRevocationPush(ca: fixture.ca, principals: ["acme-app01"], actor: "x")
        }
        let grant = try service.grant(try fixture.request(ttl: "10m"), ca: fixture.ca, actor: "customer")
        let older = try Data(contentsOf: URL(fileURLWithPath: fixture.paths.registry))
        _ = try service.revoke(serial: grant.grant.serial, actor: "customer")
        _ = try service.prepareRevocationPush(ca: fixture.ca, principals: ["acme-app01"], actor: "x")
        // The registry from before the revocation put back: its list would un-revoke the grant.
        try older.write(to: URL(fileURLWithPath: fixture.paths.registry))
        #expect(throws: AccessError.registryBehindAudit(registry: fixture.paths.registry, recorded: 1, logHead: 2)) {
            try service.prepareRevocationPush(ca: fixture.ca, principals: ["acme-app01"], actor: "x")
        }
        // A log that no longer verifies stops the push too.
        try Data().write(to: URL(fileURLWithPath: fixture.paths.auditLog))
        #expect(throws: AccessError.self) { try service.prepareRevocationPush(ca: fixture.ca, principals: ["acme-app01"], actor: "x") }
    }
}
