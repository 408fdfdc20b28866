import CatalyzeAccess
import CatalyzeServe
import Foundation
import Testing

/// Bearer tokens: stored as hashes only, found in constant time, revoked at once.
@Suite struct TokenFileTests {
    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("catalyze-tokens-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func addStoresTheHashOnlyAndFindsTheHolder() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = TokenFile(path: dir + "/tokens.json")
        let token = try file.add(name: "billing", now: Date(timeIntervalSince1970: 0), random: SeededRandomSource(seed: 7))
        let other = try file.add(name: "ops", now: Date(timeIntervalSince1970: 0), random: SeededRandomSource(seed: 8))
        #expect(token.hasPrefix("catalyze_") && token.count == "catalyze_".count + 64)
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        #expect(!text.contains(token) && !text.contains(String(token.dropFirst(9))), "the file holds no token")
        #expect(text.contains(TokenFile.digest(token)))
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try file.holder(of: token) == "billing")
        #expect(try file.holder(of: other) == "ops")
        #expect(try file.holder(of: token + "x") == nil)
        #expect(try file.holder(of: "") == nil)
        #expect(throws: TokenFile.Failure.duplicate(name: "billing", path: file.path)) { try file.add(name: "billing", now: Date()) }

        try file.revoke(name: "billing")
        #expect(try file.holder(of: token) == nil, "a revoked token is refused at once")
        #expect(try file.holder(of: other) == "ops")
        #expect(throws: TokenFile.Failure.unknown(name: "billing", path: file.path)) { try file.revoke(name: "billing") }
    }

    @Test func aFileOthersCanReadIsRefused() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = TokenFile(path: dir + "/tokens.json")
        _ = try file.add(name: "billing", now: Date())
        chmod(file.path, 0o644)
        #expect(throws: TokenFile.Failure.loosePermissions(path: file.path, mode: 0o644)) { try file.entries() }
        #expect(try TokenFile(path: dir + "/none.json").entries().isEmpty)
        #expect(throws: TokenFile.Failure.badName("a b")) { try TokenFile(path: dir + "/t.json").add(name: "a b", now: Date()) }
    }

    @Test func constantTimeEqualCompares() {
        #expect(TokenFile.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!TokenFile.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!TokenFile.constantTimeEqual([1, 2], [1, 2, 3]))
    }
}
