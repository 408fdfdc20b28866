import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Foundation
import Testing

@Suite struct BootConfigurationTests {
    let address = ResourceAddress(region: "primary", kind: .instance, name: "app01")

    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func sshdAcceptsTheConfigurationAndTheScriptParses() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        #expect(try Self.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", folder.path("ca")]).status == 0)
        #expect(try Self.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", folder.path("host")]).status == 0)
        let ca = try String(contentsOfFile: folder.path("ca.pub"), encoding: .utf8)
        let boot = try BootConfiguration(sshCA: ca, principals: ["acme-app01", "ops@acme"], address: address)
        try boot.script.write(toFile: folder.path("boot.sh"), atomically: true, encoding: .utf8)
        let syntax = try Self.run("/bin/sh", ["-n", folder.path("boot.sh")])
        #expect(syntax.status == 0, "sh -n: \(syntax.output)")

        // Every file the script writes decodes to exactly what HostLogin (tested with a real sshd
        // in CatalyzeAccessTests) says, the drop-in included.
        var written: [String: String] = [:]
        for line in boot.script.split(separator: "\n") where line.hasPrefix("echo '") {
            let encoded = line.dropFirst(6).prefix { $0 != "'" }
            let path = String(line.split(separator: " ").last!)
            let contents = try #require(Data(base64Encoded: String(encoded)), "\(line)")
            written[path] = String(decoding: contents, as: UTF8.self)
        }
        #expect(written["/etc/ssh/catalyze/ca.pub"] == ca.trimmingCharacters(in: .whitespacesAndNewlines) + "\n")
        #expect(written["/etc/ssh/catalyze/principals/support"]
            == "command=\"/etc/ssh/catalyze/session\" acme-app01\ncommand=\"/etc/ssh/catalyze/session\" ops@acme\n")
        #expect(written["/etc/ssh/catalyze/session"] == boot.login.sessionWrapper)
        #expect(written["/etc/ssh/catalyze/krl/revoked.krl"] == "")
        #expect(written[HostLogin.dropInPath] == boot.sshdConfig)
        #expect(boot.sshdConfig.contains("AuthorizedPrincipalsFile /etc/ssh/catalyze/principals/%u\n"))
        #expect(boot.sshdConfig.contains("PermitRootLogin no\n"))

        // The sshd lines, pointed at the temp folder, pass `sshd -t` (which reads the CA file).
        try FileManager.default.createDirectory(atPath: folder.path("principals"), withIntermediateDirectories: true)
        try ca.write(toFile: folder.path("ca.pub"), atomically: true, encoding: .utf8)
        try "acme-app01\n".write(toFile: folder.path("principals/support"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder.path("krl"), withIntermediateDirectories: true)
        try "".write(toFile: folder.path("krl/revoked.krl"), atomically: true, encoding: .utf8)
        let config = boot.sshdConfig.replacingOccurrences(of: HostLogin.defaultDirectory, with: folder.url.path)
            + "HostKey \(folder.path("host"))\nPidFile none\n"
        try config.write(toFile: folder.path("sshd_config"), atomically: true, encoding: .utf8)
        // `sshd -t` needs its privilege-separation directory, which a fresh machine lacks.
        try SSHDRuntime.prepare()
        let check = try Self.run("/usr/sbin/sshd", ["-t", "-f", folder.path("sshd_config")])
        #expect(check.status == 0, "sshd -t: \(check.output)")
    }

    @Test func refusesInjection() {
        #expect(throws: DriverError.self) { try BootConfiguration(sshCA: "ssh-ed25519 AAAA x\nPermitRootLogin yes", principals: [], address: address) }
        #expect(throws: DriverError.self) { try BootConfiguration(sshCA: "ssh-ed25519 AAAA 'x'", principals: [], address: address) }
        #expect(throws: DriverError.self) { try BootConfiguration(sshCA: "", principals: ["a'; rm -rf /"], address: address) }
        #expect(throws: DriverError.self) { try BootConfiguration(sshCA: "not a key", principals: [], address: address) }
    }

    @Test func withoutACANoTrustedKeysLine() throws {
        let boot = try BootConfiguration(sshCA: "", principals: ["a"], address: address)
        #expect(!boot.sshdConfig.contains("TrustedUserCAKeys"))
        #expect(boot.sshdConfig.contains("RevokedKeys /etc/ssh/catalyze/krl/revoked.krl"))
    }
}
