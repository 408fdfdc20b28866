import ArgumentParser
import CatalyzeManifest
import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeCLI

/// `catalyze init` writes a starter that validates, and never overwrites a file without `--force`.
@Suite struct InitCommandTests {
    private func run(_ arguments: [String]) throws {
        var command = try CatalyzeCommand.parseAsRoot(arguments)
        try command.run()
    }

    @Test func writesAStarterThatValidates() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path("pod.yaml")
        try run(["init", "--profile", "hipaa", "--provider", "rax", "--name", "acme", "-o", path])
        let result = ManifestLoader.load(path: path)
        #expect(result.diagnostics.isEmpty)
        #expect(result.manifest?.pod.name == "acme")
        #expect(result.manifest?.primaryRegion.provider == .rax)
    }

    @Test func refusesToOverwriteWithoutForce() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path("pod.yaml")
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ExitCode.failure) { try run(["init", "-o", path]) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "mine\n")
    }

    @Test func overwritesWithForce() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path("pod.yaml")
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: path))
        try run(["init", "--profile", "dev", "--force", "--output", path])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == StarterManifest.render(profile: .dev, provider: .aws, name: "my-pod"))
    }

    @Test(arguments: [["init", "--profile", "strict"], ["init", "--provider", "gcp"], ["init", "--name", "Bad_Name"]])
    func rejectsBadOptions(arguments: [String]) {
        #expect(throws: (any Error).self) { try CatalyzeCommand.parseAsRoot(arguments) }
    }
}
