import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeAccess

@Suite struct GrantRegistryTests {
    @Test func aMissingFileIsAnEmptyRegistry() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        #expect(try GrantRegistry.load(from: folder.path("none.json")) == GrantRegistry())
    }

    @Test func savesAtomicallyWithOwnerOnlyModeAndReadsBack() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let result = try fixture.service().grant(try fixture.request(source: "127.0.0.2/32"), ca: fixture.ca, actor: "customer")
        let registry = try GrantRegistry.load(from: fixture.paths.registry)
        #expect(registry.grants == [result.grant])
        let mode = try FileManager.default.attributesOfItem(atPath: fixture.paths.registry)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let json = try String(contentsOfFile: fixture.paths.registry, encoding: .utf8)
        #expect(json.contains("\"format_version\" : 1"))
        #expect(json.contains("\"serial\" : \"\(result.grant.serial)\""))
        #expect(json.contains("\"source_address\" : \"127.0.0.2/32\""))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.folder.url.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func refusesAFileThatIsNotARegistry() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try "{\"grants\": 3}".write(toFile: folder.path("r.json"), atomically: true, encoding: .utf8)
        #expect(throws: AccessError.self) { try GrantRegistry.load(from: folder.path("r.json")) }
    }
}
