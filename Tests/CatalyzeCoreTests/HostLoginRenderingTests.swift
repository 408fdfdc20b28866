import CatalyzeCore
import Foundation
import Testing

/// The two renderings of `HostLogin` (EC2 shell script, Nova cloud-config) carry exactly its files
/// and sshd lines; what those do is tested against a real sshd in CatalyzeAccessTests.
@Suite struct HostLoginRenderingTests {
    let ca = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBx5sX0jNqA8c7J1uZb9a3E2b7p8yL5m0lH3fGQ1d2Xk acme-ca"

    /// path → (mode, contents) from the cloud-config's write_files.
    func cloudFiles(_ text: String) -> [String: (mode: String, contents: String)] {
        var files: [String: (mode: String, contents: String)] = [:]
        var path = "", mode = ""
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("- path: ") { path = String(trimmed.dropFirst(8)) }
            if trimmed.hasPrefix("permissions: ") { mode = String(trimmed.dropFirst(13)) }
            if trimmed.hasPrefix("content: ") {
                let encoded = trimmed.dropFirst(9).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
                files[path] = (mode, String(decoding: Data(base64Encoded: encoded)!, as: UTF8.self))
            }
        }
        return files
    }

    @Test func cloudConfigWritesTheSameFilesAndDropIn() throws {
        let login = try HostLogin(caPublicKey: ca, principals: ["acme-app01"], revocationList: Array("krl".utf8))
        let text = login.cloudConfig
        #expect(text.hasPrefix("#cloud-config\nusers:\n  - name: support\n"))
        let files = cloudFiles(text)
        #expect(files.count == login.files.count + 1)
        for file in login.files {
            #expect(files[file.path]?.contents == String(decoding: file.contents, as: UTF8.self))
            #expect(files[file.path]?.mode == ([login.installerPath, login.sessionPath].contains(file.path) ? "'0755'" : "'0644'"))
        }
        #expect(files[HostLogin.dropInPath]?.contents == login.sshdConfigLines.map { $0 + "\n" }.joined())
        #expect(files["/etc/ssh/catalyze/principals/support"]?.contents == "command=\"/etc/ssh/catalyze/session\" acme-app01\n")
    }

    @Test func withoutACANoCertificateIsTrusted() throws {
        let login = try HostLogin(caPublicKey: "", principals: ["acme-app01"])
        #expect(!login.sshdConfigLines.contains { $0.hasPrefix("TrustedUserCAKeys") })
        #expect(!login.files.contains { $0.path.hasSuffix("ca.pub") })
        #expect(login.sshdConfigLines.contains("AuthorizedKeysFile none"))
        #expect(login.sshdConfigLines.contains("PermitRootLogin no"))
    }

    @Test(arguments: [
        ("ssh-ed25519 AAAA x\nPermitRootLogin yes", ["a"], "ssh_ca"),
        ("ssh-ed25519 AAAA 'x'", ["a"], "ssh_ca"),
        ("not a key", ["a"], "ssh_ca"),
        ("", ["a'; rm -rf /"], "not a principal"),
        ("", ["a b"], "not a principal"),
        ("", [""], "not a principal"),
    ])
    func refusesWhatCouldEscapeItsLine(ca: String, principals: [String], reason: String) {
        #expect {
            try HostLogin(caPublicKey: ca, principals: principals)
        } throws: { error in
            (error as? HostLogin.Invalid)?.reason.contains(reason) == true
        }
    }

    @Test func refusesABadUserOrDirectory() {
        #expect(throws: HostLogin.Invalid.self) { try HostLogin(caPublicKey: "", principals: ["a"], loginUser: "root;x") }
        #expect(throws: HostLogin.Invalid.self) { try HostLogin(caPublicKey: "", principals: ["a"], directory: "relative") }
        #expect(throws: HostLogin.Invalid.self) { try HostLogin(caPublicKey: "", principals: ["a"], directory: "/a b") }
    }
}
