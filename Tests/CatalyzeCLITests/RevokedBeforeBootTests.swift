import CatalyzeAccess
import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// A host made after a revocation boots refusing the revoked certificate: `catalyze apply` gives
/// every new instance the pod's current revocation list. Proven end to end: the binary grants,
/// revokes and applies on moto; the instance's user data is read back from moto exactly as sent
/// (DescribeInstanceAttribute `userData`); the files it writes run a real sshd.
@Suite(.serialized) struct RevokedBeforeBootTests {
    static let manifest = """
        version: 1
        pod: { name: krl-boot, customer: Test }
        profile: dev
        regions:
          - { name: primary, provider: aws, region: us-east-1, role: primary }
        network: { cidr: 10.50.0.0/16 }
        loadBalancer:
          listeners:
            - { protocol: http, port: 80, targetPort: 8080 }
        apps:
          - { name: app, replicas: 1, size: small, image: registry.example/app:1, port: 8080 }
        logging: { enabled: false }
        monitoring: { enabled: false }
        backup: { enabled: false }
        encryption: { enabled: false }
        access:
          caPublicKey: file:customer-ca.pub

        """

    /// The files a boot script writes (`echo 'BASE64' | base64 -d > PATH` lines), by path.
    static func files(of script: String) throws -> [String: [UInt8]] {
        var written: [String: [UInt8]] = [:]
        for line in script.split(separator: "\n") where line.hasPrefix("echo '") {
            let encoded = line.dropFirst(6).prefix { $0 != "'" }
            let path = String(line.split(separator: " ").last!)
            written[path] = Array(try #require(Data(base64Encoded: String(encoded)), "\(line)"))
        }
        return written
    }

    @Test func anInstanceMadeAfterARevocationRefusesTheRevokedCertificate() async throws {
        let ws = try await EndToEndAWSTests.workspace(regions: ["us-east-1"])
        defer { ws.moto.stop(); ws.folder.remove() }
        try Self.manifest.write(toFile: ws.folder.path("pod.yaml"), atomically: true, encoding: .utf8)
        let caInit = try await ws.catalyze("access", "ca", "init", "--out", "customer-ca")
        try #require(caInit.status == 0, "\(caInit.stderr)")
        try SSHDCommand.makeKeyPair(at: ws.folder.path("alice"))
        func grant(_ reason: String) async throws -> String {
            let granted = try await ws.catalyze(
                "access", "grant", "--to", "alice", "--key", "alice.pub", "--ttl", "1h", "--target", "app01",
                "--ca", "customer-ca", "--reason", reason, "--out", "alice-\(reason)-cert.pub")
            try #require(granted.status == 0, "\(granted.stdout)\n\(granted.stderr)")
            let serial = granted.stdout.split(separator: " ").dropFirst(2).first.map(String.init)
            return try #require(serial, "no serial in: \(granted.stdout)")
        }
        let revokedSerial = try await grant("revoked")
        _ = try await grant("kept")
        let revoked = try await ws.catalyze("access", "revoke", revokedSerial, "--ca", "customer-ca")
        try #require(revoked.status == 0, "\(revoked.stderr)")

        let applied = try await ws.catalyze("apply", "--auto-approve")
        try #require(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
        let lockfile = try #require(try FileStateStore(path: ws.folder.path("catalyze.lock.json")).load())
        let instance = try #require(lockfile.resources[ResourceAddress(region: "primary", kind: .instance, name: "app01")])
        let reply = try await EndToEndAWSTests.backupClient(ws).query(
            .ec2, "DescribeInstanceAttribute", region: "us-east-1", ["InstanceId": instance.cloudID, "Attribute": "userData"])
        let encoded = try #require(reply.string("userData", "value"), "no userData for \(instance.cloudID)")
        let script = String(decoding: try #require(Data(base64Encoded: encoded)), as: UTF8.self)
        let written = try Self.files(of: script)

        // The list the instance was booted with revokes exactly the revoked grant.
        let krl = try RevocationList(decoding: try #require(written["/etc/ssh/catalyze/krl/revoked.krl"]), source: "user data")
        let ca = try SSHPublicKey.load(from: ws.folder.path("customer-ca.pub"))
        #expect(krl.isRevoked(serial: try #require(UInt64(revokedSerial)), by: ca))
        #expect(krl.revokedSerials[ca]?.count == 1)

        // A real sshd on exactly those files (their folder moved into the test's, the login account
        // renamed to the test account): the kept certificate opens it, the revoked one does not.
        let host = try TemporaryDirectory(prefix: "catalyze-krl-host")
        defer { host.remove() }
        func moved(_ bytes: [UInt8]) -> [UInt8] {
            Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: HostLogin.defaultDirectory, with: host.path("etc")).utf8)
        }
        for (path, contents) in written where path.hasPrefix(HostLogin.defaultDirectory) {
            var target = host.path("etc") + path.dropFirst(HostLogin.defaultDirectory.count)
            if target.hasSuffix("/principals/support") { target = host.path("etc/principals/\(SSHDTestUser.name)") }
            try FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            // The KRL is binary and names no path: it goes byte for byte.
            try Data(path.hasSuffix(".krl") ? contents : moved(contents)).write(to: URL(fileURLWithPath: target))
            let executable = path.hasSuffix("/session") || path.hasSuffix("/install-krl")
            try FileManager.default.setAttributes([.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: target)
        }
        let dropIn = String(decoding: moved(try #require(written[HostLogin.dropInPath])), as: UTF8.self)
        let server = try SSHDServer(folder: host, hostConfiguration: dropIn.split(separator: "\n").map(String.init))
        defer { server.stop() }
        let refused = try server.login(identity: ws.folder.path("alice"), certificate: ws.folder.path("alice-revoked-cert.pub"))
        #expect(refused.status != 0)
        #expect(server.waitForLog(seconds: 5) { $0.contains("revoked by file") }, "\(server.log)")
        let kept = try server.login(identity: ws.folder.path("alice"), certificate: ws.folder.path("alice-kept-cert.pub"))
        #expect(kept.status == 0, "ssh: \(kept.errors)\nsshd: \(server.log)")
    }
}
