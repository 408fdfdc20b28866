import CatalyzeCore
import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeAccess

/// What access commands open for writing in a state folder never follows a symbolic link, and the
/// audit log is never left readable by others.
@Suite struct StateFolderFilesTests {
    static func planted(_ folder: TemporaryDirectory, at path: String, contents: String = "keep me\n") throws -> String {
        let victim = folder.path("victim-\(UUID().uuidString).txt")
        try Data(contents.utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: victim)
        return victim
    }

    @Test func theAuditLogIsNotAppendedThroughASymbolicLink() throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-files")
        defer { folder.remove() }
        let path = folder.path("catalyze.access.audit.jsonl")
        // Empty, so reading the (empty) log succeeds and the append itself meets the link.
        let victim = try Self.planted(folder, at: path, contents: "")
        let error = #expect(throws: AccessError.self) {
            try AuditLog(path: path).append(kind: .grant, actor: "x", details: [:], at: Date())
        }
        #expect(error?.description.contains("symbolic link") == true, "\(String(describing: error))")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "")
    }

    @Test func aLooseAuditLogIsTightenedTo0600() throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-files")
        defer { folder.remove() }
        let log = AuditLog(path: folder.path("catalyze.access.audit.jsonl"))
        try log.append(kind: .grant, actor: "x", details: [:], at: Date())
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: log.path)
        try log.append(kind: .revoke, actor: "x", details: [:], at: Date())
        #expect(try FileManager.default.attributesOfItem(atPath: log.path)[.posixPermissions] as? Int == 0o600)
        #expect(try log.verify(anchor: nil).isIntact)
    }

    @Test func theAccessLockIsNotOpenedThroughASymbolicLink() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let victim = try Self.planted(fixture.folder, at: fixture.paths.lock)
        #expect(throws: AccessError.self) {
            try fixture.service(at: Date()).grant(try fixture.request(ttl: "10m"), ca: fixture.ca, actor: "customer")
        }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me\n")
        #expect(!FileManager.default.fileExists(atPath: fixture.paths.registry))
    }

    @Test func replacedFilesHaveTheirModeFromCreationAndReplaceALinkNotItsTarget() throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-files")
        defer { folder.remove() }
        let path = folder.path("pod.plan")
        let victim = try Self.planted(folder, at: path)
        let previous = umask(0)
        defer { umask(previous) }
        try AtomicFile.replace(path, with: Array("{}\n".utf8), mode: 0o600)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
    }
}
