import ArgumentParser
import CatalyzeAccess
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeCLI

/// A certificate means one container of one pod in one region (issue 13), on a real sshd: each host
/// is configured with the principals its instance spec carries (`DesiredState`, split as the drivers
/// split them for the boot configuration), and the certificates come from `catalyze access grant`.
@Suite(.serialized) struct PrincipalScopeSSHDTests {
    /// Pod `acme` in `primary` and `dr` with containers `app01` and `prod-app01`.
    static let acme = """
        version: 1
        pod: { name: acme, customer: Acme }
        profile: dev
        regions:
          - { name: primary, provider: aws, region: us-east-1, role: primary }
          - { name: dr, provider: aws, region: us-west-2, role: dr }
        loadBalancer:
          listeners:
            - { protocol: http, port: 80, targetPort: 8080 }
        apps:
          - { name: app, replicas: 1, image: registry.example/app:1 }
          - { name: prod-app, replicas: 1, image: registry.example/app:1 }
        access:
          caPublicKey: file:ca.pub

        """

    /// Pod `acme-prod` with container `app01`: under the legacy form, `acme-prod-app01` like acme's `prod-app01`.
    static let acmeProd = """
        version: 1
        pod: { name: acme-prod, customer: Acme }
        profile: dev
        regions:
          - { name: primary, provider: aws, region: us-east-1, role: primary }
        loadBalancer:
          listeners:
            - { protocol: http, port: 80, targetPort: 8080 }
        apps:
          - { name: app, replicas: 1, image: registry.example/app:1 }
        access:
          caPublicKey: file:ca.pub

        """

    struct Setting {
        let folder: TemporaryDirectory
        let acme: PodManifest
        let acmeProd: PodManifest

        init() throws {
            folder = try TemporaryDirectory(prefix: "catalyze-principal-scope")
            try FileManager.default.createDirectory(atPath: folder.path("acme-prod"), withIntermediateDirectories: true)
            try PrincipalScopeSSHDTests.acme.write(toFile: folder.path("pod.yaml"), atomically: true, encoding: .utf8)
            try PrincipalScopeSSHDTests.acmeProd.write(toFile: folder.path("acme-prod/pod.yaml"), atomically: true, encoding: .utf8)
            var command = try CatalyzeCommand.parseAsRoot(["access", "ca", "init", "--out", folder.path("ca")])
            try command.run()
            try FileManager.default.copyItem(atPath: folder.path("ca.pub"), toPath: folder.path("acme-prod/ca.pub"))
            try SSHDCommand.makeKeyPair(at: folder.path("alice"))
            acme = try #require(ManifestLoader.load(path: folder.path("pod.yaml")).manifest)
            acmeProd = try #require(ManifestLoader.load(path: folder.path("acme-prod/pod.yaml")).manifest)
        }

        /// `catalyze access grant` for acme's `container` in `region`; the certificate's path.
        func grant(_ container: String, region: String?, out: String) throws -> String {
            var arguments = ["access", "grant", "--to", "alice", "--key", folder.path("alice.pub"), "--ttl", "30m",
                             "--target", container, "--ca", folder.path("ca"), "--out", folder.path(out), "-f", folder.path("pod.yaml")]
            if let region { arguments += ["--region", region] }
            var command = try CatalyzeCommand.parseAsRoot(arguments)
            try command.run()
            return folder.path(out)
        }

        /// The `principals` of `manifest`'s instance at `region`/`container`, as apply sends them.
        static func principals(_ manifest: PodManifest, _ region: String, _ container: String) throws -> [String] {
            let specs = DesiredState(manifest: manifest, placements: [:], zones: [:], sshCA: "").resources()
            let spec = try #require(specs.first { $0.address == ResourceAddress(region: region, kind: .instance, name: container) })
            return (spec.attributes["principals"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }

        /// A real sshd configured as a host accepting `principals`, trusting the pod's CA.
        func host(_ name: String, principals: [String]) throws -> SSHDServer {
            let directory = try TemporaryDirectory(prefix: "catalyze-principal-\(name)")
            let login = try HostLogin(
                caPublicKey: try String(contentsOfFile: folder.path("ca.pub"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
                principals: principals, loginUser: SSHDTestUser.name,
                revocationList: try AccessServiceFactory.service(AccessPaths(besideLockfile: folder.path("catalyze.lock.json"))).revocationList(),
                directory: directory.path("etc"))
            for path in [login.principalsDirectory, login.revocationListDirectory] {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            }
            for file in login.files {
                try Data(file.contents).write(to: URL(fileURLWithPath: file.path))
                try FileManager.default.setAttributes([.posixPermissions: Int(file.mode)], ofItemAtPath: file.path)
            }
            return try SSHDServer(folder: directory, hostConfiguration: login.sshdConfigLines)
        }

        func login(_ server: SSHDServer, _ certificate: String) throws -> SSHDCommandResult {
            try server.login(identity: folder.path("alice"), certificate: certificate)
        }
    }

    static func refusedForPrincipal(_ server: SSHDServer) -> Bool {
        server.waitForLog(seconds: 5) { $0.contains("Certificate does not contain an authorized principal") }
            && !server.log.contains("Accepted publickey")
    }

    @Test func aCertificateOpensOneContainerInOneRegionOfOnePod() throws {
        let setting = try Setting()
        defer { setting.folder.remove() }
        let primaryPrincipals = try Setting.principals(setting.acme, "primary", "app01")
        #expect(primaryPrincipals == ["acme.primary.app01"])

        // app01 runs in both regions: grant needs --region.
        #expect(throws: ExitCode.failure) { _ = try setting.grant("app01", region: nil, out: "none-cert.pub") }
        let primaryApp = try setting.grant("app01", region: "primary", out: "primary-app01-cert.pub")
        let prodApp = try setting.grant("prod-app01", region: "primary", out: "primary-prod-app01-cert.pub")

        let primary = try setting.host("primary", principals: primaryPrincipals)
        let opened = try setting.login(primary, primaryApp)
        primary.stop()
        #expect(opened.status == 0, "ssh: \(opened.errors)\nsshd: \(primary.log)")

        let dr = try setting.host("dr", principals: try Setting.principals(setting.acme, "dr", "app01"))
        let other = try setting.login(dr, primaryApp)
        dr.stop()
        #expect(other.status != 0)
        #expect(Self.refusedForPrincipal(dr), "\(dr.log)")

        // Pod acme-prod's app01 (legacy: acme-prod-app01, the same as acme's prod-app01).
        let collision = try setting.host("acme-prod", principals: try Setting.principals(setting.acmeProd, "primary", "app01"))
        let crossed = try setting.login(collision, prodApp)
        collision.stop()
        #expect(crossed.status != 0)
        #expect(Self.refusedForPrincipal(collision), "\(collision.log)")
    }

    /// A host made before 0.2.0 (recorded, and configured, with `acme-app01`): grant signs the name it
    /// accepts, and that certificate does not open dr's app01, made since with the scoped form.
    @Test func aHostMadeBefore020IsOpenedByTheLegacyNameWhileNoOtherHostAcceptsIt() throws {
        let setting = try Setting()
        defer { setting.folder.remove() }
        let specs = DesiredState(manifest: setting.acme, placements: [:], zones: [:], sshCA: "").resources()
        var lockfile = Lockfile.new(pod: "acme", lineage: "11111111-2222-3333-4444-555555555555")
        for spec in specs where spec.kind == .instance && spec.address.name == "app01" {
            var recorded = spec
            recorded.attributes["principals"] = "acme-app01"  // both regions made by 0.1.0
            lockfile.resources[spec.address] = ResourceRecord(spec: recorded, resource: CloudResource(cloudID: "i-\(spec.address.region)"), token: "t")
        }
        let store = FileStateStore(path: setting.folder.path("catalyze.lock.json"))
        _ = try store.save(lockfile)
        // Both still accept acme-app01: a certificate for it would open both. Refused.
        #expect(throws: ExitCode.failure) { _ = try setting.grant("app01", region: "primary", out: "shared-cert.pub") }

        // dr/app01 replaced since (a rolling replacement): it accepts acme.dr.app01 only.
        let drAddress = ResourceAddress(region: "dr", kind: .instance, name: "app01")
        lockfile = try #require(try store.load())
        lockfile.resources[drAddress]?.attributes["principals"] = "acme.dr.app01"
        _ = try store.save(lockfile)
        let legacy = try setting.grant("app01", region: "primary", out: "legacy-cert.pub")
        let listed = try SSHDCommand.sshKeygen(["-L", "-f", legacy])
        #expect(listed.output.contains("acme-app01") && !listed.output.contains("acme.primary.app01"), "\(listed.output)")

        let old = try setting.host("legacy", principals: ["acme-app01"])
        let opened = try setting.login(old, legacy)
        old.stop()
        #expect(opened.status == 0, "ssh: \(opened.errors)\nsshd: \(old.log)")

        let dr = try setting.host("dr", principals: try Setting.principals(setting.acme, "dr", "app01"))
        let other = try setting.login(dr, legacy)
        dr.stop()
        #expect(other.status != 0)
        #expect(Self.refusedForPrincipal(dr), "\(dr.log)")

        // The grant records the region and the form.
        let registry = try String(contentsOfFile: setting.folder.path("catalyze.access.grants.json"), encoding: .utf8)
        #expect(registry.contains("\"region\" : \"primary\"") && registry.contains("\"form\" : \"legacy\""), "\(registry)")
        let audit = try String(contentsOfFile: setting.folder.path("catalyze.access.audit.jsonl"), encoding: .utf8)
        #expect(audit.contains("\"region\":\"primary\"") || audit.contains("\"region\": \"primary\""), "\(audit)")
    }
}
