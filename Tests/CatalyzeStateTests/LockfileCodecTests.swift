import CatalyzeCore
import CatalyzeState
import Foundation
import Testing

@Suite struct LockfileCodecTests {
    let path = "/tmp/x/catalyze.lock.json"

    @Test func roundTripsIncludingEscapesAndUnicode() throws {
        let lockfile = StateFixtures.lockfile(resources: 2_000)
        let bytes = LockfileCodec.encode(lockfile)
        #expect(try LockfileCodec.decode(bytes, path: path) == lockfile)
    }

    @Test func sameValueGivesSameBytesWhateverTheInsertionOrder() {
        let forward = StateFixtures.lockfile(resources: 300)
        var backward = Lockfile.new(pod: "acme", lineage: StateFixtures.lineage)
        backward.journal = forward.journal
        for record in forward.sortedRecords.reversed() { backward.resources[record.address] = record }
        #expect(backward == forward)
        #expect(LockfileCodec.encode(backward) == LockfileCodec.encode(forward))
    }

    @Test func foundationReadsWhatTheCodecWritesAndViceVersa() throws {
        let lockfile = StateFixtures.lockfile(resources: 500)
        let ours = LockfileCodec.encode(lockfile)
        #expect(try JSONDecoder().decode(Lockfile.self, from: Data(ours)) == lockfile)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        let theirs = try encoder.encode(lockfile)
        #expect(try LockfileCodec.decode(Array(theirs), path: path) == lockfile)
    }

    @Test func isReadablePrettyJSON() throws {
        let text = String(decoding: LockfileCodec.encode(StateFixtures.lockfile(resources: 1)), as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"format_version\": 2,\n  \"written_by\": \"\(Release.version)\",\n  \"lineage\": \"\(StateFixtures.lineage)\",\n  \"serial\": 0,"))
        #expect(text.contains("\"address\": \"dr/instance.r0\""))
        #expect(text.hasSuffix("}\n"))
    }

    @Test func headerReadsOnlyIdentity() throws {
        let bytes = LockfileCodec.encode(StateFixtures.lockfile(resources: 10, serial: 41))
        let header = try LockfileCodec.header(bytes, path: path)
        #expect(header == LockfileCodec.Header(
            formatVersion: Lockfile.currentFormatVersion, lineage: StateFixtures.lineage, serial: 41,
            writtenBy: Release.version))
    }

    @Test func corruptDocumentNamesLineAndColumn() throws {
        var text = String(decoding: LockfileCodec.encode(StateFixtures.lockfile(resources: 3)), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"cloud_id\": \"i-0\",", with: "\"cloud_id\": \"i-0\"")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let broken = try #require(lines.firstIndex { $0.contains("\"cloud_id\": \"i-0\"") })
        let error = #expect(throws: StateError.self) { try LockfileCodec.decode(Array(text.utf8), path: path) }
        guard case let .corrupt(errorPath, line, column, reason)? = error else {
            Issue.record("want .corrupt, got \(String(describing: error))"); return
        }
        #expect(errorPath == path)
        #expect(line == broken + 2)  // the next key, on the following line, is where ',' was expected
        #expect(column == 7)
        #expect(reason.contains("expected ','"))
    }

    @Test func truncatedDocumentIsCorrupt() {
        let bytes = LockfileCodec.encode(StateFixtures.lockfile(resources: 20))
        #expect {
            try LockfileCodec.decode(Array(bytes.prefix(bytes.count / 2)), path: path)
        } throws: { error in
            if case .corrupt = error as? StateError { return true }
            return false
        }
    }

    @Test(arguments: [
        ("{\"format_version\": 1, \"lineage\": \"l\", \"serial\": 0, \"pod\": \"p\", \"journal\": [], \"resources\": [], \"extra\": 1}",
         "unknown key 'extra'"),
        ("{\"format_version\": 1, \"lineage\": \"l\", \"serial\": 0, \"pod\": \"p\", \"journal\": []}", "missing key 'resources'"),
        ("{\"format_version\": 1, \"lineage\": \"l\", \"serial\": 1.5, \"pod\": \"p\", \"journal\": [], \"resources\": []}",
         "fractional"),
        ("{\"format_version\": 1, \"lineage\": \"l\", \"serial\": 0, \"serial\": 1, \"pod\": \"p\", \"journal\": [], \"resources\": []}",
         "duplicate key"),
        ("{\"format_version\": 1, \"lineage\": \"l\", \"serial\": 0, \"pod\": \"p\", \"journal\": [], \"resources\": [{\"address\": \"nope\"}]}",
         "malformed resource address"),
        ("{\"format_version\": 1, \"lineage\": \"l\", \"serial\": 0, \"pod\": \"p\u{1}\", \"journal\": [], \"resources\": []}",
         "control character"),
        ("{\"format_version\": 1, \"lineage\": \"l\", \"serial\": 0, \"pod\": \"p\", \"journal\": [], \"resources\": []} x",
         "after the document"),
    ])
    func schemaViolationsAreCorrupt(document: String, reason: String) {
        let error = #expect(throws: StateError.self) { try LockfileCodec.decode(Array(document.utf8), path: path) }
        guard case let .corrupt(_, line, _, message)? = error else {
            Issue.record("want .corrupt, got \(String(describing: error))"); return
        }
        #expect(line == 1)
        #expect(message.contains(reason), "\(message)")
    }

    @Test func duplicateAddressesAreRefused() throws {
        let record = StateFixtures.record(1)
        var text = String(decoding: LockfileCodec.encode(StateFixtures.lockfile(resources: 0)), as: UTF8.self)
        let one = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"resources\": []", with: "\"resources\": [\(one), \(one)]")
        let error = #expect(throws: StateError.self) { try LockfileCodec.decode(Array(text.utf8), path: path) }
        guard case let .corrupt(_, _, _, reason)? = error else { Issue.record("want .corrupt"); return }
        #expect(reason.contains("appears twice"))
    }

    @Test func newerFormatVersionIsNamedEvenWhenTheSchemaDiffers() {
        let document = "{\"format_version\": 3, \"lineage\": \"l\", \"serial\": 3, \"shards\": []}"
        #expect(throws: StateError.newerFormatVersion(path: path, found: 3, writtenBy: nil)) {
            try LockfileCodec.decode(Array(document.utf8), path: path)
        }
        var lockfile = StateFixtures.lockfile(resources: 1)
        lockfile.formatVersion = 7
        #expect(throws: StateError.newerFormatVersion(path: path, found: 7, writtenBy: Release.version)) {
            try LockfileCodec.decode(LockfileCodec.encode(lockfile), path: path)
        }
    }

    @Test func decodesEscapesFoundationMayWrite() throws {
        let document = """
            {"format_version": 1, "lineage": "l\\u00e9\\ud83d\\ude80\\/", "serial": 0, "pod": "p\\n", "journal": [], "resources": []}
            """
        let lockfile = try LockfileCodec.decode(Array(document.utf8), path: path)
        #expect(lockfile.lineage == "lé🚀/")
        #expect(lockfile.pod == "p\n")
    }
}
