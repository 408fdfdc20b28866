import CatalyzeCore
import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeManifest

/// Input that would make validation hang or eat memory is refused, with a clear error, before
/// it is read whole or walked. The tests assert on the error; how fast it comes is for Benchmarks/.
@Suite struct HostileManifestTests {
    /// A "billion laughs": 9 levels of 9 aliases, 9⁹ values from a few hundred bytes.
    static let aliasBomb: String = {
        var text = "version: 1\na0: &a0 [lol]\n"
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [\(Array(repeating: previous, count: 9).joined(separator: ", "))]\n"
        }
        return text
    }()

    @Test func anAliasBombIsRefusedByTheValueBudget() {
        #expect(Self.aliasBomb.utf8.count < 600)
        let result = ManifestLoader.load(text: Self.aliasBomb, file: "bomb.yaml")
        #expect(result.manifest == nil)
        #expect(result.diagnostics == [
            .init(.tooManyValues(limit: ValueBudget.limit, aliases: true), at: SourceLocation(file: "bomb.yaml", line: 1, column: 1)),
        ])
    }

    /// An alias as a key would make composing (Yams' duplicate-key check hashes keys whole) take
    /// forever: refused at its position before composing.
    @Test(arguments: [
        ("? *a9\n: x\n", 1, 3), ("*a9 : x\n", 1, 1), ("m: {*a8 : 1, *a8 : 2}\n", 1, 5), ("m:\n  - *a8: 1\n", 2, 5),
    ])
    func anAliasAsAKeyIsRefusedAtItsPosition(tail: String, line: Int, column: Int) {
        let text = Self.aliasBomb + tail
        let result = ManifestLoader.load(text: text, file: "bomb.yaml")
        let bombLines = Self.aliasBomb.split(separator: "\n").count
        #expect(result.diagnostics == [
            .init(.aliasKey, at: SourceLocation(file: "bomb.yaml", line: bombLines + line, column: column)),
        ])
    }

    @Test func anAsteriskInAQuotedValueOrACommentIsNoAliasKey() {
        let text = ManifestTesting.validHipaa.replacingOccurrences(of: "customer: Acme Health", with: "customer: \"*x: y\" # *z: w")
        #expect(AliasKeyScan.firstAliasKey(in: text) == nil)
        #expect(AliasKeyScan.firstAliasKey(in: "a: '*x: y'\nb: *c\nd: [*e, *f]\n") == nil)
    }

    @Test func aFewAliasesAreFine() {
        // The twin: anchors and aliases used as YAML intends them pass.
        let text = ManifestTesting.validHipaa + "logging:\n  customerAccess: &open { enabled: true, cidrs: [192.168.10.0/24] }\n"
            + "monitoring:\n  customerAccess: *open\n"
        #expect(ManifestTesting.load(text).diagnostics.isEmpty)
    }

    @Test func aFileOverOneMebibyteIsRefusedBeforeReading() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path("big.yaml")
        let line = "# " + String(repeating: "x", count: 1021) + "\n"  // 1 KiB
        try Data(String(repeating: line, count: 1025).utf8).write(to: URL(fileURLWithPath: path))
        let result = ManifestLoader.load(path: path)
        #expect(result.issues == [.tooLarge(bytes: 1025 * 1024, limit: 1 << 20)])
        #expect(result.diagnostics.first?.diagnostic.hint != nil)
    }

    @Test func aFileOfExactlyTheLimitIsRead() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path("limit.yaml")
        let text = ManifestTesting.validHipaa
        try Data((text + String(repeating: "#", count: (1 << 20) - text.utf8.count)).utf8).write(to: URL(fileURLWithPath: path))
        #expect(ManifestLoader.load(path: path).diagnostics.isEmpty)
    }

    @Test func aDirectoryIsNotAManifest() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let result = ManifestLoader.load(path: folder.url.path)
        #expect(result.issues == [.notAFile(path: folder.url.path, kind: .directory)])
        #expect(result.diagnostics[0].issue.hint == "name the manifest file inside it, e.g. \(folder.url.path)/pod.yaml")
    }

    @Test func aDashIsRefusedInPlainWords() {
        let result = ManifestLoader.load(path: "-")
        #expect(result.issues == [.notAFile(path: "-", kind: .standardInput)])
        #expect(result.diagnostics[0].issue.message.contains("standard input"))
    }

    @Test func aPipeIsReadUpToTheLimit() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path("fifo")
        #expect(mkfifo(path, 0o600) == 0)
        // The writer sends more than the limit and is cut off when the reader stops reading.
        let writer = Thread {
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            let chunk = Data(repeating: UInt8(ascii: "#"), count: 64 * 1024)
            for _ in 0..<40 { if (try? handle.write(contentsOf: chunk)) == nil { break } }
            try? handle.close()
        }
        signal(SIGPIPE, SIG_IGN)
        writer.start()
        let result = ManifestLoader.load(path: path)
        #expect(result.issues == [.tooLarge(bytes: nil, limit: 1 << 20)])
    }
}
