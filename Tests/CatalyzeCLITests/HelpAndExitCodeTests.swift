import ArgumentParser
import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeCLI

/// Help and the exit-code rule, run as the built binary: help in every spelling prints on standard
/// output and exits 0 for every command and subcommand; a usage error exits 64, a runtime error 1.
@Suite struct HelpAndExitCodeTests {
    /// Every command path below the root, found by walking the command tree (e.g. `["access", "ca", "init"]`).
    static let commandPaths: [[String]] = {
        var paths: [[String]] = []
        func visit(_ command: any ParsableCommand.Type, _ path: [String]) {
            for sub in command.configuration.subcommands {
                let name = sub.configuration.commandName ?? sub._commandName
                let subPath = path + [name]
                paths.append(subPath)
                visit(sub, subPath)
            }
        }
        visit(CatalyzeCommand.self, [])
        return paths
    }()

    private func catalyze(_ arguments: [String]) async throws -> CommandResult {
        let folder = try TemporaryDirectory(prefix: "catalyze-help")
        defer { folder.remove() }
        return try await runCommand(catalyzeBinary, arguments, in: folder.url)
    }

    @Test func theTreeWalkFindsNestedCommands() {
        #expect(Self.commandPaths.contains(["access", "ca", "init"]))
        #expect(Self.commandPaths.contains(["state", "show"]))
        #expect(Self.commandPaths.count >= 20)
    }

    @Test(arguments: [["--help"], ["-h"], ["help"]])
    func rootHelpExitsZeroOnStandardOutput(arguments: [String]) async throws {
        let result = try await catalyze(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        #expect(result.stdout.contains("USAGE: catalyze <subcommand>"), "\(arguments): \(result.stdout)")
        #expect(result.stdout.contains("validate"))
        #expect(result.stderr.isEmpty, "\(arguments): \(result.stderr)")
    }

    /// `CMD --help`, `CMD -h` and `help CMD` for every command path: help for exactly that command.
    @Test(arguments: commandPaths)
    func everyCommandPrintsItsHelpAndExitsZero(path: [String]) async throws {
        for arguments in [path + ["--help"], path + ["-h"], ["help"] + path] {
            let result = try await catalyze(arguments)
            #expect(result.status == 0, "\(arguments) exited \(result.status): \(result.stderr)")
            #expect(result.stdout.contains("USAGE: catalyze \(path.joined(separator: " "))"), "\(arguments): \(result.stdout)")
            #expect(result.stderr.isEmpty, "\(arguments): \(result.stderr)")
            // One placeholder spelling: `<file>`, `<plan-file>`, never `FILE` or `<FILE>`.
            let shouting = result.stdout.split(separator: "\n").filter {
                $0.contains(/<[A-Z_]+>|\b(FILE|PATH|PLANFILE|ADDRESS|LOCK_ID|NAME|KEY)\b/)
            }
            #expect(shouting.isEmpty, "\(arguments): placeholders spelled otherwise: \(shouting)")
        }
    }

    @Test(arguments: [["validate", "--bogus"], ["state", "show"], ["access", "grant", "--to", "x"], ["nonsense"], ["init", "--profile", "strict"]])
    func aUsageErrorExits64WithTheUsage(arguments: [String]) async throws {
        let result = try await catalyze(arguments)
        #expect(result.status == 64, "\(arguments) exited \(result.status)")
        #expect(result.stderr.hasPrefix("error: "), "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("Usage: catalyze"), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func aRuntimeErrorExits1() async throws {
        let result = try await catalyze(["state", "list"])  // no lockfile in an empty folder
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: "), "\(result.stderr)")
        #expect(result.stderr.contains("no lockfile"))
        #expect(!result.stderr.contains("Usage:"))
    }

    @Test func versionExitsZero() async throws {
        let result = try await catalyze(["--version"])
        #expect(result.status == 0)
        #expect(!result.stdout.isEmpty)
    }
}
