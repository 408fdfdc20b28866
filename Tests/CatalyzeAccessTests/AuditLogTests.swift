import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeAccess

@Suite struct AuditLogTests {
    /// A log of four entries, one of each kind, one minute apart.
    func makeLog() throws -> (TemporaryDirectory, AuditLog, AuditAnchor) {
        let folder = try TemporaryDirectory()
        let log = AuditLog(path: folder.path("audit.jsonl"))
        var last: AuditEntry?
        for (index, kind) in AuditEntryKind.allCases.enumerated() {
            last = try log.append(
                kind: kind, actor: "customer", details: ["serial": "\(index + 1)", "principal": "acme-app01"],
                at: Date(timeIntervalSince1970: 1_790_000_000 + Double(index) * 60))
        }
        return (folder, log, AuditAnchor(sequence: last!.sequence, hash: last!.hash))
    }

    func lines(_ log: AuditLog) throws -> [String] {
        try String(contentsOfFile: log.path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func rewrite(_ log: AuditLog, _ lines: [String]) throws {
        try (lines.joined(separator: "\n") + "\n").write(toFile: log.path, atomically: true, encoding: .utf8)
    }

    @Test func entriesChainOntoEachOther() throws {
        let (folder, log, anchor) = try makeLog()
        defer { folder.remove() }
        let entries = try log.entries()
        #expect(entries.map(\.sequence) == [1, 2, 3, 4, 5, 6, 7])
        #expect(entries.map(\.kind) == [.grant, .revoke, .expose, .conceal, .pushKRL, .importResources, .apiDenied])
        #expect(entries[0].previousHash == AuditEntry.genesisHash)
        for (earlier, later) in zip(entries, entries.dropFirst()) { #expect(later.previousHash == earlier.hash) }
        #expect(entries[1].time == "2026-09-21T14:14:20Z")
        let verification = try log.verify(anchor: anchor)
        #expect(verification.isIntact, "\(verification.problems)")
        #expect(verification.entryCount == 7)
        #expect(verification.head == anchor)
    }

    @Test func catchesAnEditedEntry() throws {
        let (folder, log, anchor) = try makeLog()
        defer { folder.remove() }
        var text = try lines(log)
        text[1] = text[1].replacingOccurrences(of: "\"serial\":\"2\"", with: "\"serial\":\"999\"")
        try rewrite(log, text)
        #expect(try log.verify(anchor: anchor).problems == [.edited(line: 2, sequence: 2)])
    }

    @Test func catchesARemovedEntry() throws {
        let (folder, log, anchor) = try makeLog()
        defer { folder.remove() }
        var text = try lines(log)
        text.remove(at: 1)
        try rewrite(log, text)
        let problems = try log.verify(anchor: anchor).problems
        #expect(problems.contains(.outOfSequence(line: 2, expected: 2, found: 3)))
        #expect(problems.contains(.brokenLink(line: 2, sequence: 3)))
    }

    @Test func catchesReorderedEntries() throws {
        let (folder, log, anchor) = try makeLog()
        defer { folder.remove() }
        var text = try lines(log)
        text.swapAt(1, 2)
        try rewrite(log, text)
        let problems = try log.verify(anchor: anchor).problems
        #expect(problems.contains(.brokenLink(line: 2, sequence: 3)))
        #expect(problems.contains(.brokenLink(line: 3, sequence: 2)))
    }

    @Test func catchesATruncatedTailThroughTheAnchor() throws {
        let (folder, log, anchor) = try makeLog()
        defer { folder.remove() }
        try rewrite(log, Array(try lines(log).dropLast()))
        #expect(try log.verify(anchor: anchor).problems == [.anchorMissing(anchor)])
    }

    @Test func catchesARewrittenChainThroughTheAnchor() throws {
        let (folder, log, anchor) = try makeLog()
        defer { folder.remove() }
        // An attacker edits entry 2 and recomputes every hash after it: the chain is self-consistent again…
        var entries = try log.entries()
        entries[1].details["serial"] = "999"
        for index in 1..<entries.count {
            entries[index].previousHash = entries[index - 1].hash
            entries[index].hash = try entries[index].computedHash()
        }
        try rewrite(log, try entries.map { try $0.line() })
        #expect(try log.verify(anchor: nil).isIntact)
        // …but the head recorded elsewhere no longer matches.
        #expect(try log.verify(anchor: anchor).problems == [.anchorMissing(anchor)])
    }

    @Test func reportsAGarbageLineAndRefusesToAppendAfterIt() throws {
        let (folder, log, anchor) = try makeLog()
        defer { folder.remove() }
        try rewrite(log, try lines(log) + ["not json"])
        #expect(try log.verify(anchor: anchor).problems == [.malformed(line: 8)])
        #expect(throws: AccessError.self) {
            try log.append(kind: .grant, actor: "x", details: [:], at: Date(timeIntervalSince1970: 0))
        }
    }

    @Test func theLogIsOwnerOnly() throws {
        let (folder, log, _) = try makeLog()
        defer { folder.remove() }
        #expect(try FileManager.default.attributesOfItem(atPath: log.path)[.posixPermissions] as? Int == 0o600)
    }
}
