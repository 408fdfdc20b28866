import CatalyzeCore
import CatalyzeState
import CatalyzeStateBackends
import CatalyzeTestSupport
import Foundation
import Testing

/// `etcds://` (issue 17): the built binary against a real etcd (Debian's etcd-server) that serves
/// only TLS and asks every client for a certificate (`--client-cert-auth`), with a certificate
/// authority, member and client certificates made here by openssl. The state moves there with
/// `state migrate` and reads back; a client without the three files is refused naming the
/// variables, one with a key others can read is refused before any request, and a certificate of
/// another authority is turned away by etcd itself.
@Suite(.serialized) struct EtcdTLSTests {
    /// A private TLS etcd and the files a client needs.
    struct TLSEtcd {
        let process: StreamingCommand
        let folder: TemporaryDirectory
        let port: Int

        var url: String { "etcds://127.0.0.1:\(port)/catalyze-tls" }

        func environment(certificate: String = "client") -> [String: String] {
            [
                StateBackends.etcdTLSVariables.ca: folder.path("ca.pem"),
                StateBackends.etcdTLSVariables.certificate: folder.path("\(certificate).pem"),
                StateBackends.etcdTLSVariables.key: folder.path("\(certificate)-key.pem"),
            ]
        }

        func stop() {
            process.terminate()
            folder.remove()
        }
    }

    static func run(_ arguments: [String], in folder: TemporaryDirectory) async throws {
        let result = try await runCommand("/usr/bin/openssl", arguments, in: folder.url)
        try #require(result.status == 0, "openssl \(arguments.joined(separator: " ")): \(result.stderr)")
    }

    /// A certificate authority named `ca` in `folder` and a certificate it signs, `name`.pem and `name`-key.pem.
    static func certificate(_ name: String, ca: String, in folder: TemporaryDirectory, server: Bool) async throws {
        try await run(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(name)-key.pem", "-subj", "/CN=\(name)", "-out", "\(name).csr"], in: folder)
        let extensions = server ? "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n" : "extendedKeyUsage=clientAuth\n"
        try Data(extensions.utf8).write(to: folder.url.appendingPathComponent("\(name).ext"))
        try await run([
            "x509", "-req", "-in", "\(name).csr", "-CA", "\(ca).pem", "-CAkey", "\(ca)-key.pem", "-CAcreateserial",
            "-days", "2", "-extfile", "\(name).ext", "-out", "\(name).pem",
        ], in: folder)
        chmod(folder.path("\(name)-key.pem"), 0o600)
    }

    static func start() async throws -> TLSEtcd {
        let folder = try TemporaryDirectory(prefix: "catalyze-etcd-tls")
        for ca in ["ca", "other-ca"] {
            try await run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(ca)-key.pem", "-subj", "/CN=\(ca)", "-days", "2", "-out", "\(ca).pem"], in: folder)
        }
        try await certificate("member", ca: "ca", in: folder, server: true)
        try await certificate("client", ca: "ca", in: folder, server: false)
        try await certificate("stranger", ca: "other-ca", in: folder, server: false)
        let port = try freePort(), peer = try freePort()
        let process = try StreamingCommand("/usr/bin/etcd", [
            "--name", "catalyze-tls", "--data-dir", folder.path("data"),
            "--listen-client-urls", "https://127.0.0.1:\(port)", "--advertise-client-urls", "https://127.0.0.1:\(port)",
            "--listen-peer-urls", "http://127.0.0.1:\(peer)", "--initial-advertise-peer-urls", "http://127.0.0.1:\(peer)",
            "--initial-cluster", "catalyze-tls=http://127.0.0.1:\(peer)",
            "--cert-file", folder.path("member.pem"), "--key-file", folder.path("member-key.pem"),
            "--trusted-ca-file", folder.path("ca.pem"), "--client-cert-auth",
        ], in: folder.url, environment: [:])
        let etcd = TLSEtcd(process: process, folder: folder, port: port)
        // Ready when it answers /health over TLS with the client certificate (at most 30 s).
        for _ in 0..<60 {
            let health = try await runCommand("/usr/bin/curl", [
                "-sS", "--max-time", "2", "--cacert", folder.path("ca.pem"), "--cert", folder.path("client.pem"),
                "--key", folder.path("client-key.pem"), "https://127.0.0.1:\(port)/health",
            ])
            if health.status == 0 && health.stdout.contains("true") { return etcd }
            try await Task.sleep(for: .milliseconds(500))
        }
        etcd.stop()
        Issue.record("the TLS etcd did not become healthy: \(process.stderr.suffix(2000))")
        throw CancellationError()
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard bind(fd, raw, length) == 0, getsockname(fd, raw, &length) == 0 else { throw CancellationError() }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func theStateMovesToATLSEtcdAndOnlyItsClientsGetIn() async throws {
        let etcd = try await Self.start()
        defer { etcd.stop() }
        let folder = try StateMigrateTests.folder(["app01"])
        defer { folder.remove() }

        // Without the files: refused naming the variables, the lockfile untouched.
        let bare = try await runCommand(catalyzeBinary, ["state", "migrate", "--to", etcd.url], in: folder.url)
        #expect(bare.status == 1 && bare.stderr.contains("set CATALYZE_ETCD_CACERT, CATALYZE_ETCD_CERT, CATALYZE_ETCD_KEY"), "\(bare.stderr)")
        #expect(try FileStateStore(path: folder.path("catalyze.lock.json")).tombstone() == nil)

        // A key others can read: refused before any request.
        chmod(etcd.folder.path("client-key.pem"), 0o644)
        let loose = try await runCommand(catalyzeBinary, ["state", "migrate", "--to", etcd.url], in: folder.url, environment: etcd.environment())
        #expect(loose.status == 1 && loose.stderr.contains("readable by group or others"), "\(loose.stderr)")
        chmod(etcd.folder.path("client-key.pem"), 0o600)

        // A certificate another authority signed: etcd refuses the handshake.
        let stranger = try await runCommand(
            catalyzeBinary, ["state", "migrate", "--to", etcd.url], in: folder.url, environment: etcd.environment(certificate: "stranger"))
        #expect(stranger.status == 1, "\(stranger.stdout)")
        #expect(try FileStateStore(path: folder.path("catalyze.lock.json")).tombstone() == nil, "nothing moved")

        let moved = try await runCommand(catalyzeBinary, ["state", "migrate", "--to", etcd.url], in: folder.url, environment: etcd.environment())
        #expect(moved.status == 0, "\(moved.stderr)")
        let listed = try await runCommand(catalyzeBinary, ["state", "list", "--backend", etcd.url], in: folder.url, environment: etcd.environment())
        #expect(listed.status == 0 && listed.stdout == "primary/instance.app01\n", "\(listed.stdout)\(listed.stderr)")
        #expect(!listed.stderr.contains("BEGIN") && !moved.stdout.contains("BEGIN"), "no key material in any output")
    }
}
