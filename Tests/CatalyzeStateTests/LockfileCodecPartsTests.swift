import CatalyzeCore
import CatalyzeState
import Foundation
import Testing

/// Large lockfiles are encoded and decoded in parts on every core. These check that the parts
/// give exactly what one pass gives: same bytes, same value, same errors at the same places, and
/// that a document laid out differently (where the cuts cannot be trusted) still decodes.
@Suite struct LockfileCodecPartsTests {
    let path = "/tmp/x/catalyze.lock.json"
    /// Big enough (≈ 3.5 MB) to be cut into parts.
    static let large = StateFixtures.lockfile(resources: 5_000)

    @Test func partsJoinToTheSameBytesAsTheWhole() {
        // (Compared as a flag: a failing #expect on megabytes of bytes would print them all.)
        let parts = LockfileCodec.encodeParts(Self.large)
        #expect(parts.count > 3)  // head, a piece per core or more, tail
        let joined = Array(parts.joined()) == LockfileCodec.encode(Self.large)
        #expect(joined)
        // A lockfile too small to split has one piece of records, and the same layout.
        let small = StateFixtures.lockfile(resources: 10)
        #expect(LockfileCodec.encodeParts(small).count == 3)
        let smallJoined = Array(LockfileCodec.encodeParts(small).joined()) == LockfileCodec.encode(small)
        #expect(smallJoined)
    }

    @Test func aLargeLockfileRoundTripsAndFoundationAgrees() throws {
        let bytes = LockfileCodec.encode(Self.large)
        #expect(bytes.count > 2_000_000)
        let ours = try LockfileCodec.decode(bytes, path: path) == Self.large
        let foundations = try JSONDecoder().decode(Lockfile.self, from: Data(bytes)) == Self.large
        #expect(ours && foundations)
    }

    @Test func anotherLayoutStillDecodes() throws {
        // Foundation's pretty printer indents differently; compact JSON has no newline to cut at.
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted]
        let fromPretty = try LockfileCodec.decode(Array(pretty.encode(Self.large)), path: path) == Self.large
        let fromCompact = try LockfileCodec.decode(Array(JSONEncoder().encode(Self.large)), path: path) == Self.large
        #expect(fromPretty && fromCompact)
    }

    @Test func anElementLikeLineInsideARecordDoesNotFoolTheCuts() throws {
        // Every record's dependencies list is laid out as elements at the top level's indentation,
        // so each cut may land inside a record; the part before it must then refuse the cut.
        var text = String(decoding: LockfileCodec.encode(Self.large), as: UTF8.self)
        text = text.replacingOccurrences(
            of: "\"dependencies\": [\"dr/firewall.main\", \"dr/network.main\"]",
            with: "\"dependencies\": [\"dr/firewall.main\",\n    {\"x\": 1}]")
        let error = #expect(throws: StateError.self) { try LockfileCodec.decode(Array(text.utf8), path: path) }
        guard case let .corrupt(_, line, _, reason)? = error else { Issue.record("want .corrupt"); return }
        // The first record in dr (dr/attachment.r1002 sorts first) is where one pass fails.
        let first = try #require(text.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0 == "    {\"x\": 1}]," })
        #expect(line == first + 1)
        #expect(reason.contains("expected a string"), "\(reason)")
    }

    @Test func aRepeatedAddressFarApartIsNamedWhereItRepeats() throws {
        // The first record repeated as the last: it lands in another part than its first copy.
        let records = Self.large.sortedRecords
        let one = String(decoding: try JSONEncoder().encode(records[0]), as: UTF8.self)
        var text = String(decoding: LockfileCodec.encode(Self.large), as: UTF8.self)
        let end = try #require(text.range(of: "\n  ]\n}\n", options: .backwards))
        text.replaceSubrange(end, with: ",\n    \(one)\n  ]\n}\n")
        let error = #expect(throws: StateError.self) { try LockfileCodec.decode(Array(text.utf8), path: path) }
        guard case let .corrupt(_, line, column, reason)? = error else { Issue.record("want .corrupt"); return }
        #expect(reason == "resource \(records[0].address) appears twice")
        #expect(line == text.split(separator: "\n", omittingEmptySubsequences: false).count - 3)
        #expect(column == 5)
    }

    @Test func anErrorInALaterPartIsReportedAsOnePassWould() throws {
        var text = String(decoding: LockfileCodec.encode(Self.large), as: UTF8.self)
        let records = Self.large.sortedRecords
        let late = records[records.count * 7 / 8]
        let target = "\"cloud_id\": \"\(late.cloudID)\""
        let broken = try #require(text.range(of: target))
        text.replaceSubrange(broken, with: "\"cloud_id\": 42")
        let lineNumber = text[..<broken.lowerBound].filter { $0 == "\n" }.count + 1
        let error = #expect(throws: StateError.self) { try LockfileCodec.decode(Array(text.utf8), path: path) }
        guard case let .corrupt(_, line, column, reason)? = error else { Issue.record("want .corrupt"); return }
        #expect(line == lineNumber)
        #expect(column == 19)
        #expect(reason.contains("expected a string"))
    }

    @Test func saveFindsTheHeaderWhereverItIs() throws {
        // Keys in another order: resources first, so the header lies past the first 64 KiB.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("catalyze-parts-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = FileStateStore(path: folder.appendingPathComponent("catalyze.lock.json").path)
        var stored = Self.large
        stored.serial = 9
        let encoder = JSONEncoder()
        let json = try encoder.encode(stored)
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let resources = try JSONSerialization.data(withJSONObject: object.removeValue(forKey: "resources")!)
        let rest = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let reordered = Data("{\"resources\": ".utf8) + resources + Data(", ".utf8) + rest.dropFirst()
        #expect(FileManager.default.createFile(atPath: store.path, contents: reordered, attributes: [.posixPermissions: 0o600]))
        let loaded = try store.load() == stored
        #expect(loaded)
        // An older serial is refused: the header was found.
        #expect(throws: StateError.self) { try store.save(Self.large) }
        #expect(try store.save(stored).serial == 10)
    }
}
