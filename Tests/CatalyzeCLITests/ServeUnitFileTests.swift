import CatalyzeTestSupport
import Foundation
import Testing

/// `scripts/systemd/catalyze-serve.service`: systemd's own checker accepts it, and its `ExecStart` line,
/// run as written (only the binary and the folders moved into a temporary one), serves the API on
/// its Unix socket (mode 0660) and ends cleanly on SIGTERM, `systemctl stop`'s signal, removing
/// the socket. (This machine's PID 1 is not systemd, so the unit cannot be started by systemd
/// itself here.)
@Suite struct ServeUnitFileTests {
    static let unit = repositoryRoot.appendingPathComponent("scripts/systemd/catalyze-serve.service")
    static let hasSystemdAnalyze = FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")

    /// The unit's `KEY=value` lines of `[Service]` (and the others), in order.
    static func settings() throws -> [(key: String, value: String)] {
        try String(contentsOf: unit, encoding: .utf8).split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), !line.hasPrefix("["), let equals = line.firstIndex(of: "=") else { return nil }
            return (String(line[..<equals]), String(line[line.index(after: equals)...]))
        }
    }

    @Test(.enabled(if: hasSystemdAnalyze)) func systemdAnalyzeVerifiesIt() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-unit")
        defer { folder.remove() }
        // verify checks that ExecStart's binary exists and that `man catalyze` (Documentation=) opens.
        let text = try String(contentsOf: Self.unit, encoding: .utf8).replacingOccurrences(of: "/usr/local/bin/catalyze", with: catalyzeBinary)
        try text.write(toFile: folder.path("catalyze-serve.service"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder.path("man/man1"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("man/catalyze.1").path, toPath: folder.path("man/man1/catalyze.1"))
        let verified = try await runCommand(
            "/usr/bin/systemd-analyze", ["verify", folder.path("catalyze-serve.service")], environment: ["MANPATH": folder.path("man")])
        #expect(verified.status == 0 && verified.stderr.isEmpty && verified.stdout.isEmpty, "\(verified.stdout)\n\(verified.stderr)")
    }

    @Test func itsExecStartServesTheSocket() async throws {
        let settings = try Self.settings()
        let exec = try #require(settings.first { $0.key == "ExecStart" }?.value)
        #expect(settings.contains { $0.key == "User" && $0.value == "catalyze" }, "it does not run as root")
        #expect(settings.contains { $0.key == "NoNewPrivileges" && $0.value == "yes" })
        let folder = try TemporaryDirectory(prefix: "catalyze-unit")
        defer { folder.remove() }
        for sub in ["lib/pods/acme-one", "run"] {
            try FileManager.default.createDirectory(atPath: folder.path(sub), withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(
            atPath: repositoryRoot.appendingPathComponent("Tests/Fixtures/pods/single-region-aws.yaml").path,
            toPath: folder.path("lib/pods/acme-one/pod.yaml"))
        let moved = exec.replacingOccurrences(of: "/usr/local/bin/catalyze", with: catalyzeBinary)
            .replacingOccurrences(of: "/var/lib/catalyze", with: folder.path("lib"))
            .replacingOccurrences(of: "/run/catalyze", with: folder.path("run"))
        let words = moved.split(separator: " ").map(String.init)
        let added = try await runCommand(catalyzeBinary, ["serve", "token", "add", "monitor", "--tokens", folder.path("lib/tokens.json")])
        try #require(added.status == 0, "\(added.stderr)")
        let token = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let environment = settings.filter { $0.key == "Environment" }.reduce(into: [String: String]()) { result, setting in
            let parts = setting.value.split(separator: "=", maxSplits: 1).map(String.init)
            result[parts[0]] = parts[1].replacingOccurrences(of: "/var/lib/catalyze", with: folder.path("lib"))
        }
        let server = try StreamingCommand(words[0], Array(words.dropFirst()), in: folder.url, environment: environment)
        defer { server.terminate() }
        let socket = folder.path("run/serve.sock")
        try #require(try await server.wait(upTo: .seconds(30)) { $0.contains("listening on unix:\(socket)") }, "\(server.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: socket)[.posixPermissions] as? Int
        #expect(mode == 0o660)

        let health = try await runCommand("/usr/bin/curl", ["-sS", "--max-time", "30", "--unix-socket", socket, "http://catalyze/v1/health"])
        #expect(health.status == 0 && health.stdout.contains(#""status":"ok""#), "\(health.stdout)\(health.stderr)")
        let access = try await runCommand("/usr/bin/curl", [
            "-sS", "--max-time", "30", "--unix-socket", socket, "-H", "Authorization: Bearer \(token)",
            "http://catalyze/v1/pods/acme-one/access",
        ])
        #expect(access.stdout.contains(#""pod":"acme-one""#) && access.stdout.contains(#""monitoring":{"cidrs":["192.168.10.0/24"],"enabled":true}"#),
                "\(access.stdout)\(access.stderr)\n\(server.stderr)")

        server.terminate()
        #expect(try await server.finish(upTo: .seconds(20)) == 0)
        #expect(!FileManager.default.fileExists(atPath: socket), "the socket goes with the server")
    }
}
