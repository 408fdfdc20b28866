import CatalyzeTestSupport
import Foundation
import Testing

/// Mistaken and hostile input, run as the built binary: each gets a plain-words error that says
/// what and where, exit 1, and never Foundation's or the decoder's own text.
@Suite struct PlainWordsErrorTests {
    private func catalyze(_ arguments: [String], in folder: TemporaryDirectory) async throws -> CommandResult {
        try await runCommand(catalyzeBinary, arguments, in: folder.url)
    }

    /// No raw Foundation or Swift error text reaches the user.
    private func expectPlain(_ result: CommandResult, _ context: String) {
        for raw in ["NSCocoaErrorDomain", "NSPOSIXErrorDomain", "DecodingError", "CodingKeys", "dataCorrupted", "Error Domain="] {
            #expect(!result.stderr.contains(raw) && !result.stdout.contains(raw), "\(context): \(result.stderr)\(result.stdout)")
        }
    }

    @Test func aDirectoryAsTheManifest() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-plain")
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path("pods"), withIntermediateDirectories: true)
        for arguments in [["validate", "pods"], ["validate", "-f", "pods"], ["plan", "-f", "pods"], ["graph", "-f", "pods"], ["hosts", "-f", "pods"]] {
            let result = try await catalyze(arguments, in: folder)
            #expect(result.status == 1, "\(arguments)")
            let output = result.stdout + result.stderr
            #expect(output.contains("pods:1:1: error: cannot read manifest: it is a directory, not a file"), "\(arguments): \(output)")
            #expect(output.contains("pods/pod.yaml"), "\(arguments): \(output)")
            expectPlain(result, "\(arguments)")
        }
    }

    @Test func aDashAsTheManifestIsRefused() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-plain")
        defer { folder.remove() }
        for arguments in [["validate", "-"], ["plan", "-f", "-"]] {
            let result = try await catalyze(arguments, in: folder)
            #expect(result.status == 1, "\(arguments)")
            #expect((result.stdout + result.stderr).contains("-:1:1: error: cannot read manifest from standard input ('-')"), "\(arguments)")
        }
    }

    @Test func aPipeAsTheManifestIsRead() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-plain")
        defer { folder.remove() }
        let fifo = folder.path("pod.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let example = try Data(contentsOf: repositoryRoot.appendingPathComponent("examples/hipaa-aws.yaml"))
        let writer = Thread {
            guard let handle = FileHandle(forWritingAtPath: fifo) else { return }
            try? handle.write(contentsOf: example)
            try? handle.close()
        }
        writer.start()
        let result = try await catalyze(["validate", fifo], in: folder)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("pod.fifo is valid"))
    }

    @Test func anAliasBombAndAHugeFileAreRefused() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-plain")
        defer { folder.remove() }
        var bomb = "version: 1\na0: &a0 [lol]\n"
        for level in 1...9 { bomb += "a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", "))]\n" }
        try Data(bomb.utf8).write(to: URL(fileURLWithPath: folder.path("bomb.yaml")))
        let big = "- x\n"
        try Data(String(repeating: big, count: 300_000).utf8).write(to: URL(fileURLWithPath: folder.path("big.yaml")))
        let bombed = try await catalyze(["validate", "bomb.yaml"], in: folder)
        #expect(bombed.status == 1)
        #expect(bombed.stdout.contains("bomb.yaml:1:1: error: the manifest's YAML aliases (*name) expand to more than 100000 values"), "\(bombed.stdout)")
        let huge = try await catalyze(["validate", "--json", "big.yaml"], in: folder)
        #expect(huge.status == 1)
        #expect(huge.stdout.contains("\"code\" : \"too-large\""), "\(huge.stdout)")
    }

    @Test func initIntoADirectory() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-plain")
        defer { folder.remove() }
        for arguments in [["init", "-o", "."], ["init", "-o", ".", "--force"]] {
            let result = try await catalyze(arguments, in: folder)
            #expect(result.status == 1)
            #expect(result.stderr == "error: . is a directory; give the manifest's file path, e.g. -o ./pod.yaml\n", "\(result.stderr)")
        }
    }

    @Test func initIntoAMissingFolderSaysWhy() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-plain")
        defer { folder.remove() }
        let result = try await catalyze(["init", "-o", "nowhere/pod.yaml"], in: folder)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: cannot write nowhere/pod.yaml: "), "\(result.stderr)")
        #expect(result.stderr.contains("no such file or directory"), "\(result.stderr)")
        expectPlain(result, "init")
    }

    @Test func aJunkPlanFile() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-plain")
        defer { folder.remove() }
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("examples/dev-rax.yaml"), to: folder.url.appendingPathComponent("pod.yaml"))
        try Data("{\"pod\": 3}".utf8).write(to: URL(fileURLWithPath: folder.path("junk.plan")))
        try Data("not json at all".utf8).write(to: URL(fileURLWithPath: folder.path("text.plan")))
        let junk = try await catalyze(["apply", "junk.plan"], in: folder)
        #expect(junk.status == 1)
        #expect(junk.stderr.contains("error: junk.plan is not a catalyze plan file ("), "\(junk.stderr)")
        #expect(junk.stderr.contains("catalyze plan --out junk.plan"))
        expectPlain(junk, "junk plan")
        let text = try await catalyze(["apply", "text.plan"], in: folder)
        #expect(text.stderr.contains("error: text.plan is not a catalyze plan file (not JSON)"), "\(text.stderr)")
        let directory = try await catalyze(["apply", "."], in: folder)
        #expect(directory.stderr.contains("error: .: cannot read the plan file: it is a directory"), "\(directory.stderr)")
        expectPlain(directory, "plan directory")
    }

    @Test func forceUnlockWithoutALockfile() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-plain")
        defer { folder.remove() }
        let result = try await catalyze(["force-unlock", "1234"], in: folder)
        #expect(result.status == 1)
        #expect(result.stderr == "error: catalyze.lock.json: no lockfile (nothing applied yet, or pass --state PATH)\n", "\(result.stderr)")
    }

    /// `-f` finds the lockfile beside the manifest on `state` and `force-unlock` too.
    @Test func stateTakesDashF() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-plain")
        defer { folder.remove() }
        let result = try await catalyze(["state", "list", "-f", "pods/acme.yaml"], in: folder)
        #expect(result.status == 1)
        #expect(result.stderr.contains("pods/catalyze.lock.json: no lockfile"), "\(result.stderr)")
    }
}
