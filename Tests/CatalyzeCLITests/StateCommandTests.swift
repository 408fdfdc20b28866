import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeCLI

/// `catalyze state list|show` and `catalyze force-unlock`, run as the real binary.
@Suite struct StateCommandTests {
    struct Fixture {
        let folder: TemporaryDirectory
        let store: FileStateStore
        let lockfile: Lockfile

        init(journal: Bool = false) throws {
            folder = try TemporaryDirectory(prefix: "catalyze-state-cli")
            store = FileStateStore(path: folder.path("catalyze.lock.json"))
            var lockfile = Lockfile.new(pod: "acme", lineage: "11111111-2222-3333-4444-555555555555")
            for (kind, name, id) in [(ResourceKind.network, "main", "vpc-1"), (.instance, "app01", "i-1"), (.volume, "db01", "vol-1")] {
                let address = ResourceAddress(region: "primary", kind: kind, name: name)
                lockfile.resources[address] = ResourceRecord(
                    address: address, kind: kind, provider: .aws, cloudRegion: "us-east-1", cloudID: id,
                    attributes: ["zone": "us-east-1a"], outputs: ["arn": "arn:\(id)"],
                    dependencies: kind == .network ? [] : [ResourceAddress(region: "primary", kind: .network, name: "main")],
                    token: "tok-\(name)")
            }
            if journal {
                lockfile.begin(JournalEntry(
                    token: "tok-lb", operation: .create, address: ResourceAddress(region: "primary", kind: .loadBalancer, name: "web"),
                    kind: .loadBalancer, provider: .aws, cloudRegion: "us-east-1", attributes: [:],
                    startedAt: Date(timeIntervalSince1970: 1_795_000_000)))
            }
            self.lockfile = try store.save(lockfile)
        }

        func catalyze(_ arguments: String...) async throws -> CommandResult {
            try await runCommand(catalyzeBinary, arguments, in: folder.url)
        }
    }

    @Test func listPrintsSortedAddressesAndWarnsAboutInterruptedCalls() async throws {
        let fixture = try Fixture(journal: true)
        defer { fixture.folder.remove() }
        let result = try await fixture.catalyze("state", "list")  // default path: ./catalyze.lock.json
        #expect(result.status == 0)
        #expect(result.stdout == "primary/instance.app01\nprimary/network.main\nprimary/volume.db01\n")
        #expect(result.stderr.contains("interrupted create of primary/load_balancer.web (token tok-lb"))
    }

    /// A library error thrown by a command is printed as `error: …` (as every command's own reports
    /// are), names the file and the fix, and exits 1 — not ArgumentParser's `Error: …`.
    @Test func aRefusedLockfileIsOneErrorLineAndExit1() async throws {
        let fixture = try Fixture()
        defer { fixture.folder.remove() }
        #expect(chmod(fixture.store.path, 0o644) == 0)
        let result = try await fixture.catalyze("state", "list")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("error: "), "\(result.stderr)")
        #expect(result.stderr.contains("catalyze.lock.json") && result.stderr.contains("chmod 600"), "\(result.stderr)")
    }

    @Test func listJSONCarriesFormatVersionAndIdentity() async throws {
        let fixture = try Fixture()
        defer { fixture.folder.remove() }
        let result = try await fixture.catalyze("state", "list", "--json", "--state", fixture.store.path)
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["format_version"] as? Int == JSONFormat.version)
        #expect(object["serial"] as? Int == 1)
        #expect(object["lineage"] as? String == fixture.lockfile.lineage)
        let resources = try #require(object["resources"] as? [[String: Any]])
        #expect(resources.compactMap { $0["cloud_id"] as? String }.sorted() == ["i-1", "vol-1", "vpc-1"])
    }

    @Test func showPrintsOneRecordHumanAndJSON() async throws {
        let fixture = try Fixture()
        defer { fixture.folder.remove() }
        let human = try await fixture.catalyze("state", "show", "primary/instance.app01", "--state", fixture.store.path)
        #expect(human.status == 0)
        #expect(human.stdout.hasPrefix("# primary/instance.app01\n"))
        #expect(human.stdout.contains("cloud_id     = i-1\n"))
        #expect(human.stdout.contains("dependencies = [primary/network.main]\n"))
        let json = try await fixture.catalyze("state", "show", "primary/instance.app01", "--json", "--state", fixture.store.path)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["format_version"] as? Int == JSONFormat.version)
        let resource = try #require(object["resource"] as? [String: Any])
        #expect(resource["cloud_id"] as? String == "i-1")
        #expect(resource["token"] as? String == "tok-app01")
    }

    @Test func showOfAnUnknownAddressFailsWithAHint() async throws {
        let fixture = try Fixture()
        defer { fixture.folder.remove() }
        let result = try await fixture.catalyze("state", "show", "dr/instance.app01", "--state", fixture.store.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("no resource at dr/instance.app01; did you mean `primary/instance.app01`?"))
    }

    @Test func missingOrLooseLockfileFailsClearly() async throws {
        let fixture = try Fixture()
        defer { fixture.folder.remove() }
        let missing = try await fixture.catalyze("state", "list", "--state", fixture.folder.path("nope.json"))
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no lockfile"))
        chmod(fixture.store.path, 0o640)
        let loose = try await fixture.catalyze("state", "list", "--state", fixture.store.path)
        #expect(loose.status == 1)
        #expect(loose.stderr.contains("chmod 600"))
    }

    @Test func forceUnlockRemovesOnlyTheNamedLock() async throws {
        let fixture = try Fixture()
        defer { fixture.folder.remove() }
        let request = LockRequest(
            id: "lock-held", pid: getpid(), host: "testhost", user: "tester", command: "catalyze apply",
            createdAt: Date(timeIntervalSince1970: 1_795_000_000))
        let held = try fixture.store.lock(request, timeout: .zero)
        defer { try? held.release() }
        let wrong = try await fixture.catalyze("force-unlock", "lock-other", "--state", fixture.store.path)
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("lock id lock-other does not match"))
        #expect(FileManager.default.fileExists(atPath: fixture.store.lockPath))
        let right = try await fixture.catalyze("force-unlock", "lock-held", "--state", fixture.store.path)
        #expect(right.status == 0)
        #expect(!FileManager.default.fileExists(atPath: fixture.store.lockPath))
    }
}
