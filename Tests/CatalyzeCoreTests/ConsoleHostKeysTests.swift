import Foundation
import Testing
@testable import CatalyzeCore

/// Reading the host keys a host printed on its console at boot (cloud-init's keys_to_console block).
@Suite struct ConsoleHostKeysTests {
    /// An ed25519 public key line for 32 bytes of `fill`.
    static func key(_ fill: UInt8, algorithm: String = "ssh-ed25519") -> String {
        func string(_ bytes: [UInt8]) -> [UInt8] {
            let n = UInt32(bytes.count)
            return [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + bytes
        }
        return "\(algorithm) \(Data(string(Array("ssh-ed25519".utf8)) + string([UInt8](repeating: fill, count: 32))).base64EncodedString())"
    }

    @Test func theLastCompleteBlockCountsWithTheConsolesPrefixStripped() throws {
        let console = [
            "Linux version 6.1.0", "ec2: -----BEGIN SSH HOST KEY KEYS-----", "ec2: \(Self.key(1)) root@old", "ec2: -----END SSH HOST KEY KEYS-----",
            "reboot", "ec2: -----BEGIN SSH HOST KEY KEYS-----", "ec2: \(Self.key(2)) root@new", "ec2: garbage line",
            "ec2: -----END SSH HOST KEY KEYS-----",
            // A block cut short by the console's end does not count.
            "ec2: -----BEGIN SSH HOST KEY KEYS-----", "ec2: \(Self.key(3)) root@cut",
        ].joined(separator: "\r\n")
        let keys = try #require(ConsoleHostKeys.parse(console))
        #expect(keys.map(\.description) == [Self.key(2)])
        #expect(keys[0].knownHostsLine(for: "catalyze-i-1") == "catalyze-i-1 \(Self.key(2))")
    }

    @Test func noBlockNoKeyOrAForgedKeyIsNoKey() {
        #expect(ConsoleHostKeys.parse("Linux version 2.6.16-xenU\nBIOS-provided physical RAM map:\n") == nil)
        #expect(ConsoleHostKeys.parse("\(ConsoleHostKeys.begin)\n\(ConsoleHostKeys.end)\n") == nil)
        // The blob must name the line's algorithm; an unknown algorithm is no host key.
        #expect(HostPublicKey(line: Self.key(1, algorithm: "ssh-rsa")) == nil)
        #expect(HostPublicKey(line: "ssh-dss AAAAB3NzaC1kc3MAAACBAP") == nil)
        #expect(HostPublicKey(line: "ssh-ed25519 not-base64!") == nil)
    }

    @Test func bothBootConfigurationsPublishTheKeysOnTheConsole() throws {
        let login = try HostLogin(caPublicKey: "", principals: ["acme.primary.app01"])
        #expect(login.shellScript.contains("echo '\(ConsoleHostKeys.begin)'; cat /etc/ssh/ssh_host_*_key.pub"))
        #expect(login.shellScript.contains("echo '\(ConsoleHostKeys.end)'"))
        #expect(login.shellScript.hasSuffix("if [ -w /dev/console ]; then host_keys > /dev/console; else host_keys; fi\n"))
        #expect(login.cloudConfig.contains("\nssh:\n  emit_keys_to_console: true\n"))
    }
}
