import CatalyzeAccess
import CatalyzeCore
import CatalyzeModel
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// `access push-krl` trusts a host only by a host key the cloud shows for its instance: the keys the
/// host printed on its console at boot, read through EC2 GetConsoleOutput. Proven on moto (an
/// instance made by `apply`) and a real sshd running exactly the files of that instance's boot
/// script. moto's GetConsoleOutput answers a fixed sample with no keys, so the test plays the booted
/// instance: it sets the console through the moto extension's test control
/// (`POST /moto-api/catalyze/ec2/console-output`, Tests/Peers/run_moto.py) to exactly what
/// cloud-init prints. The test's loopback stands in for the pod's VPN: the lockfile's private
/// address of the instance is set to 127.0.0.1.
@Suite(.serialized) struct HostKeyPushTests {
    /// What cloud-init prints on the console at the end of a first boot (write-ssh-key-fingerprints),
    /// around the keys of `publicKeyFiles`, with the `ec2: ` prefix EC2's console shows on some images.
    /// `prefix` is what the console shows before each line of the block (`ec2: ` on EC2, nothing on Nova).
    static func console(publicKeyFiles: [String], prefix: String = "ec2: ") throws -> String {
        var lines = [
            "[   12.345678] cloud-init[812]: Cloud-init v. 23.4 finished at Mon, 01 Jan 2024 00:00:00 +0000.",
            prefix + "#############################################################",
            prefix + "-----BEGIN SSH HOST KEY FINGERPRINTS-----",
            prefix + "256 SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA root@ip-10-50-1-5 (ED25519)",
            prefix + "-----END SSH HOST KEY FINGERPRINTS-----",
            prefix + "#############################################################",
            prefix + "-----BEGIN SSH HOST KEY KEYS-----",
        ]
        for file in publicKeyFiles {
            lines.append(prefix + (try String(contentsOfFile: file, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        lines += [prefix + "-----END SSH HOST KEY KEYS-----", "Ubuntu 22.04.3 LTS ip-10-50-1-5 ttyS0", ""]
        return lines.joined(separator: "\r\n")
    }

    /// The steps both clouds share: the customer's CA, a grant for alice on app01, the apply; then
    /// app01's recorded private address set to 127.0.0.1 (the test's loopback stands in for the
    /// pod's VPN). Returns app01's cloud id.
    static func grantApplyAndReachApp01(in folder: TemporaryDirectory, environment: [String: String]) async throws -> String {
        func catalyze(_ arguments: String...) async throws -> CommandResult {
            try await runCommand(catalyzeBinary, arguments, in: folder.url, environment: environment)
        }
        let caInit = try await catalyze("access", "ca", "init", "--out", "customer-ca")
        try #require(caInit.status == 0, "\(caInit.stderr)")
        try SSHDCommand.makeKeyPair(at: folder.path("alice"))
        let granted = try await catalyze(
            "access", "grant", "--to", "alice", "--key", "alice.pub", "--ttl", "1h", "--target", "app01",
            "--ca", "customer-ca", "--reason", "host-keys", "--out", "alice-cert.pub")
        try #require(granted.status == 0, "\(granted.stdout)\n\(granted.stderr)")
        let applied = try await catalyze("apply", "--auto-approve")
        try #require(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
        let store = FileStateStore(path: folder.path("catalyze.lock.json"))
        var lockfile = try #require(try store.load())
        let address = ResourceAddress(region: "primary", kind: .instance, name: "app01")
        let cloudID = try #require(lockfile.resources[address]).cloudID
        lockfile.resources[address]?.outputs["private_ip"] = "127.0.0.1"
        _ = try store.save(lockfile)
        return cloudID
    }

    static func setConsole(_ ws: EndToEndAWSTests.Workspace, instance: String, _ output: String?) async throws {
        let reply = try await EmulatorHTTP.sendJSON(
            "POST", ws.moto.url.appendingPathComponent("moto-api/catalyze/ec2/console-output"),
            ["InstanceId": instance, "Output": output as Any? ?? NSNull()])
        try #require(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
    }

    @Test func aPushTrustsOnlyTheHostKeyTheInstancesConsoleShows() async throws {
        let ws = try await EndToEndAWSTests.workspace(regions: ["us-east-1"])
        defer { ws.moto.stop(); ws.folder.remove() }
        try RevokedBeforeBootTests.manifest.write(toFile: ws.folder.path("pod.yaml"), atomically: true, encoding: .utf8)
        let instance = try await Self.grantApplyAndReachApp01(in: ws.folder, environment: ws.environment)

        // Its boot script prints the host keys on the console the way cloud-init does.
        let reply = try await EndToEndAWSTests.backupClient(ws).query(
            .ec2, "DescribeInstanceAttribute", region: "us-east-1", ["InstanceId": instance, "Attribute": "userData"])
        let encoded = try #require(reply.string("userData", "value"))
        let script = String(decoding: try #require(Data(base64Encoded: encoded)), as: UTF8.self)
        #expect(script.contains("echo '\(ConsoleHostKeys.begin)'") && script.contains("cat /etc/ssh/ssh_host_*_key.pub"), "\(script)")

        // A real sshd on the instance's files, with its KRL account.
        var host = try BootedHost(files: try RevokedBeforeBootTests.files(of: script), prefix: "catalyze-hostkey-host")
        defer { host.stop() }
        let krlPath = host.krlPath
        let push = ["access", "push-krl", "--ca", "customer-ca", "--host", "127.0.0.1:\(host.server.port)", "--connect-timeout", "5"]

        // Still booting: the console shows no key, so the host is not contacted.
        try await Self.setConsole(ws, instance: instance, nil)
        let early = try await runCommand(catalyzeBinary, push, in: ws.folder.url, environment: ws.environment)
        #expect(early.status == 1, "\(early.stdout)\n\(early.stderr)")
        #expect(early.stderr.contains("✗ primary/instance.app01 (127.0.0.1:\(host.server.port)): the console of instance \(instance) (aws us-east-1) shows no SSH host key yet"), "\(early.stderr)")
        #expect(early.stderr.contains("wait a few minutes"), "\(early.stderr)")
        #expect(!host.server.log.contains("Connection from"), "no connection to a host without a known key: \(host.server.log)")

        // Booted: the console shows its key, which matches: the push succeeds.
        try await Self.setConsole(ws, instance: instance, try Self.console(publicKeyFiles: [host.server.hostKey + ".pub"]))
        let first = try await runCommand(catalyzeBinary, push, in: ws.folder.url, environment: ws.environment)
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)\nsshd: \(host.server.log)")
        #expect(first.stdout.contains("✓ primary/instance.app01 (127.0.0.1:\(host.server.port)): revocation list version 0x"), "\(first.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: krlPath)).starts(with: Array("SSHKRL".utf8)))

        // The host is replaced at the same address (a new host key) and the console does not show
        // the new key: the push is refused, naming the host, and the host's list is untouched.
        let port = host.server.port
        try host.replace(prefix: "catalyze-hostkey-replaced")
        let refused = try await runCommand(catalyzeBinary, push, in: ws.folder.url, environment: ws.environment)
        #expect(refused.status == 1, "\(refused.stdout)\n\(refused.stderr)")
        #expect(refused.stderr.contains(
            "✗ primary/instance.app01 (127.0.0.1:\(port)): its SSH host key is not one the console of instance \(instance) (aws us-east-1) shows"),
            "\(refused.stderr)")
        #expect(!host.server.log.contains("Accepted "), "the client left before authenticating to the stranger: \(host.server.log)")
        #expect(!refused.stderr.contains("BEGIN OPENSSH PRIVATE KEY") && !refused.stdout.contains("PRIVATE KEY"))

        // The new host's boot prints its key: once the console shows it, the push succeeds.
        try await Self.setConsole(ws, instance: instance, try Self.console(publicKeyFiles: [host.server.hostKey + ".pub"]))
        let again = try await runCommand(catalyzeBinary, push, in: ws.folder.url, environment: ws.environment)
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)\nsshd: \(host.server.log)")
        #expect(again.stdout.contains("Revocation list pushed to 1 of 1 host."), "\(again.stdout)")
        #expect(host.server.log.contains("Accepted "), "\(host.server.log)")
        // No known_hosts is left behind: each push builds its own and removes it.
        #expect(!FileManager.default.fileExists(atPath: ws.folder.path("catalyze.access.known_hosts")))
    }

    /// The same on Rackspace: the host keys come from Nova's console output
    /// (`os-getConsoleOutput`). mimic has no such action: catalyze's mimic extension adds it to the
    /// Compute API reference (Tests/Peers/mimic_plugins/catalyze_console_output.py), with a test control
    /// that sets what the server's console shows, since mimic boots nothing; the test plays the booted
    /// server, printing what cloud-init prints with `ssh: emit_keys_to_console: true` (no `ec2: `
    /// prefix), on a real sshd running exactly the files of the server's `#cloud-config`.
    @Test func onRackspaceAPushTrustsOnlyTheHostKeyTheServersConsoleShows() async throws {
        let ws = try await EndToEndRackspaceTests.workspace(example: "dev-rax.yaml")
        defer { ws.stop() }
        try RevokedBeforeBootTests.manifest.replacingOccurrences(of: "provider: aws, region: us-east-1", with: "provider: rax, region: ORD")
            .write(toFile: ws.folder.path("pod.yaml"), atomically: true, encoding: .utf8)
        let server = try await Self.grantApplyAndReachApp01(in: ws.folder, environment: ws.environment)

        // The server's #cloud-config, as it reads it from its config drive: it has cloud-init print the keys.
        let mimic = try RackspaceMimic()
        let cloudConfig = try #require(try await mimic.userData(tenant: ws.tenant, serverID: server))
        #expect(cloudConfig.hasPrefix("#cloud-config") && cloudConfig.contains("emit_keys_to_console: true"), "\(cloudConfig)")
        let host = try BootedHost(files: try BootedHost.files(ofCloudConfig: cloudConfig), prefix: "catalyze-hostkey-rax")
        defer { host.stop() }
        let target = "127.0.0.1:\(host.server.port)"
        let push = ["access", "push-krl", "--ca", "customer-ca", "--host", target, "--connect-timeout", "5"]

        // Still booting: the console is empty, so the host is not contacted.
        let early = try await runCommand(catalyzeBinary, push, in: ws.folder.url, environment: ws.environment)
        #expect(early.status == 1, "\(early.stdout)\n\(early.stderr)")
        #expect(early.stderr.contains("✗ primary/instance.app01 (\(target)): the console of instance \(server)"), "\(early.stderr)")
        #expect(early.stderr.contains("shows no SSH host key yet"), "\(early.stderr)")
        #expect(!host.server.log.contains("Connection from"), "no connection to a host without a known key: \(host.server.log)")

        // The console shows another machine's key (a stranger at the address): refused before authenticating.
        let stranger = try TemporaryDirectory(prefix: "catalyze-hostkey-stranger")
        defer { stranger.remove() }
        try SSHDCommand.makeKeyPair(at: stranger.path("key"))
        try await mimic.setConsoleOutput(tenant: ws.tenant, serverID: server, try Self.console(publicKeyFiles: [stranger.path("key.pub")], prefix: ""))
        let refused = try await runCommand(catalyzeBinary, push, in: ws.folder.url, environment: ws.environment)
        #expect(refused.status == 1, "\(refused.stdout)\n\(refused.stderr)")
        #expect(refused.stderr.contains("its SSH host key is not one the console of instance \(server)"), "\(refused.stderr)")
        #expect(!host.server.log.contains("Accepted "), "\(host.server.log)")

        // Booted: Nova's console shows the server's own key (Nova strips the "\r"s): the push succeeds.
        try await mimic.setConsoleOutput(tenant: ws.tenant, serverID: server, try Self.console(publicKeyFiles: [host.server.hostKey + ".pub"], prefix: ""))
        let pushed = try await runCommand(catalyzeBinary, push, in: ws.folder.url, environment: ws.environment)
        #expect(pushed.status == 0, "\(pushed.stdout)\n\(pushed.stderr)\nsshd: \(host.server.log)")
        #expect(pushed.stdout.contains("✓ primary/instance.app01 (\(target)): revocation list version 0x"), "\(pushed.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: host.krlPath)).starts(with: Array("SSHKRL".utf8)))
    }
}

/// A real sshd running exactly the files an instance's boot script writes (`HostLogin`'s drop-in,
/// principals, session wrapper, KRL installer and list), with its KRL account: the host a test's
/// `push-krl` reaches over loopback. `replace` plays a replaced host at the same port (a new host key).
struct BootedHost {
    let sshdConfig: [String]
    let krlPath: String
    var server: SSHDServer
    private var folders: [TemporaryDirectory]

    /// `written`: the files the boot writes, by path (`RevokedBeforeBootTests.files(of:)` for an EC2
    /// boot script, `files(ofCloudConfig:)` for a Nova server's `#cloud-config`).
    init(files written: [String: [UInt8]], prefix: String) throws {
        let hostFolder = try TemporaryDirectory(prefix: prefix)
        folders = [hostFolder]
        let etc = hostFolder.path("etc")
        func moved(_ bytes: [UInt8]) -> [UInt8] {
            Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: HostLogin.defaultDirectory, with: etc).utf8)
        }
        for (path, contents) in written where path.hasPrefix(HostLogin.defaultDirectory) {
            var target = etc + path.dropFirst(HostLogin.defaultDirectory.count)
            if target.hasSuffix("/principals/support") { target = etc + "/principals/\(SSHDTestUser.name)" }
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(path.hasSuffix(".krl") ? contents : moved(contents)).write(to: URL(fileURLWithPath: target))
            let executable = path.hasSuffix("/session") || path.hasSuffix("/install-krl")
            try FileManager.default.setAttributes([.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: target)
        }
        try SSHDTestUser.ensureExists(HostLogin.defaultRevocationUser)
        for path in [etc + "/krl", etc + "/krl/revoked.krl"] {
            let chown = try SSHDCommand.run("/bin/chown", [HostLogin.defaultRevocationUser, path])
            try #require(chown.status == 0, "\(chown.errors)")
        }
        sshdConfig = String(decoding: moved(try #require(written[HostLogin.dropInPath])), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        krlPath = etc + "/krl/revoked.krl"
        server = try SSHDServer(folder: hostFolder, hostConfiguration: sshdConfig, otherUsers: [HostLogin.defaultRevocationUser])
    }

    /// The files a `#cloud-config` writes (`write_files` entries with `encoding: b64`), by path.
    static func files(ofCloudConfig text: String) throws -> [String: [UInt8]] {
        var written: [String: [UInt8]] = [:]
        var path: String?
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("  - path: ") {
                path = String(line.dropFirst("  - path: ".count))
            } else if line.hasPrefix("    content: '"), let current = path {
                let encoded = line.dropFirst("    content: '".count).prefix { $0 != "'" }
                written[current] = Array(try #require(Data(base64Encoded: String(encoded)), "\(line)"))
                path = nil
            }
        }
        return written
    }

    /// The host replaced at the same address: another sshd, with a new host key, on the same port.
    mutating func replace(prefix: String) throws {
        let port = server.port
        server.stop()
        let folder = try TemporaryDirectory(prefix: prefix)
        folders.append(folder)
        server = try SSHDServer(folder: folder, hostConfiguration: sshdConfig, otherUsers: [HostLogin.defaultRevocationUser], port: port)
    }

    func stop() {
        server.stop()
        for folder in folders { folder.remove() }
    }
}
