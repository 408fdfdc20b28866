import CatalyzeCore
import CatalyzeModel
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

@Suite struct LockfileMigrationTests {
    let path = "/pods/acme/catalyze.lock.json"

    /// The bytes 0.1.0 wrote: format 1, no `written_by` (the encoder writes format 1 as 0.1.0 did).
    static func format1Bytes(resources: Int = 5) -> [UInt8] {
        var lockfile = StateFixtures.lockfile(resources: resources, serial: 12)
        lockfile.formatVersion = 1
        return LockfileCodec.encode(lockfile)
    }

    @Test func theChainRunsFromFormat1ToTheCurrentFormatOneStepAtATime() {
        #expect(LockfileMigration.chain.map(\.from) == Array(1..<Lockfile.currentFormatVersion))
        #expect(Set(Lockfile.formatReleases.keys) == Set(1...Lockfile.currentFormatVersion))
        #expect(Lockfile.formatReleases[Lockfile.currentFormatVersion] == Release.version)
    }

    @Test func aFormat1LockfileIsReadAndUpgraded() throws {
        let bytes = Self.format1Bytes()
        #expect(!String(decoding: bytes, as: UTF8.self).contains("written_by"))
        let lockfile = try LockfileCodec.decode(bytes, path: path)
        #expect(lockfile.formatVersion == Lockfile.currentFormatVersion)
        #expect(lockfile.writtenBy == "0.1.0")
        #expect(lockfile.serial == 12)
        #expect(lockfile.resources == StateFixtures.lockfile(resources: 5).resources)
        #expect(lockfile.journal == StateFixtures.lockfile(resources: 5).journal)
    }

    @Test func format2RecordsItsWriterAndRequiresIt() throws {
        let lockfile = StateFixtures.lockfile(resources: 2)
        let text = String(decoding: LockfileCodec.encode(lockfile), as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"format_version\": 2,\n  \"written_by\": \"\(Release.version)\",\n"))
        let header = try LockfileCodec.header(Array(text.utf8), path: path)
        #expect(header.writtenBy == Release.version)
        let missing = text.replacingOccurrences(of: "\"written_by\": \"\(Release.version)\",", with: "")
        let error = #expect(throws: StateError.self) { try LockfileCodec.decode(Array(missing.utf8), path: path) }
        guard case let .corrupt(_, _, _, reason)? = error else { Issue.record("want .corrupt"); return }
        #expect(reason == "missing key 'written_by'")
    }

    @Test func aNewerFormatIsRefusedNamingBothFormatsAndBothReleases() {
        let document = """
            {"format_version": 3, "written_by": "0.3.0", "lineage": "l", "serial": 3, "shards": []}
            """
        let expected = StateError.newerFormatVersion(path: path, found: 3, writtenBy: "0.3.0")
        #expect(throws: expected) { try LockfileCodec.decode(Array(document.utf8), path: path) }
        let message = expected.description
        for part in ["format 3", "written by catalyze 0.3.0", "this catalyze \(Release.version)", "formats 1-2",
                     "left untouched", "catalyze 0.3.0 or later"] {
            #expect(message.contains(part), "\(message) lacks \(part)")
        }
        var lockfile = StateFixtures.lockfile(resources: 1)
        lockfile.formatVersion = 7
        lockfile.writtenBy = "1.4.0"
        #expect(throws: StateError.newerFormatVersion(path: path, found: 7, writtenBy: "1.4.0")) {
            try LockfileCodec.decode(LockfileCodec.encode(lockfile), path: path)
        }
    }

    @Test func theFirstSaveKeepsTheOldFormatAsAPrivateBackup() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = FileStateStore(path: folder.path("catalyze.lock.json"))
        let old = Data(Self.format1Bytes())
        #expect(FileManager.default.createFile(atPath: store.path, contents: old, attributes: [.posixPermissions: 0o600]))

        let loaded = try #require(try store.load())
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == old, "loading must not write")
        #expect(!FileManager.default.fileExists(atPath: store.formatBackupPath(1)))

        let saved = try store.save(loaded)
        #expect(store.formatBackupPath(1) == store.path + ".v1.backup")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.formatBackupPath(1))) == old)
        #expect(try FileManager.default.attributesOfItem(atPath: store.formatBackupPath(1))[.posixPermissions] as? Int == 0o600)
        let text = try String(contentsOfFile: store.path, encoding: .utf8)
        #expect(text.contains("\"format_version\": 2") && text.contains("\"written_by\": \"\(Release.version)\""))
        #expect(saved.serial == 13 && saved.writtenBy == Release.version)
        #expect(try store.load() == saved)

        // Later saves leave the format backup alone.
        _ = try store.save(saved)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.formatBackupPath(1))) == old)
    }

    /// The upgrade's one save (what apply and destroy do before their first change, even when the
    /// plan then saves no record): the old bytes are kept first, and a second call writes nothing.
    @Test func saveUpgradeWritesTheFormatBackupOnceAndOnlyForAnotherRelease() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = FileStateStore(path: folder.path("catalyze.lock.json"))
        let old = Data(Self.format1Bytes())
        #expect(FileManager.default.createFile(atPath: store.path, contents: old, attributes: [.posixPermissions: 0o600]))

        let upgraded = try store.saveUpgrade(try #require(try store.load()))
        #expect(upgraded.serial == 13 && upgraded.writtenBy == Release.version)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.formatBackupPath(1))) == old)
        #expect(try store.load() == upgraded)
        let written = try Data(contentsOf: URL(fileURLWithPath: store.path))

        #expect(try store.saveUpgrade(upgraded) == upgraded, "this release's lockfile is returned as it is")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == written, "and not written again")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
        #expect(names == ["catalyze.lock.json", "catalyze.lock.json.backup", "catalyze.lock.json.v1.backup"], "\(names)")
    }

    @Test func aNewerLockfileIsLeftUntouchedBySave() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = FileStateStore(path: folder.path("catalyze.lock.json"))
        var newer = StateFixtures.lockfile(resources: 2)
        newer.formatVersion = 3
        newer.writtenBy = "0.3.0"
        let bytes = Data(LockfileCodec.encode(newer))
        #expect(FileManager.default.createFile(atPath: store.path, contents: bytes, attributes: [.posixPermissions: 0o600]))
        let expected = StateError.newerFormatVersion(path: store.path, found: 3, writtenBy: "0.3.0")
        #expect(throws: expected) { try store.load() }
        #expect(throws: expected) { try store.save(StateFixtures.lockfile(resources: 2, serial: 5)) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == bytes)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
        #expect(names == ["catalyze.lock.json"], "no backup, temp file or other write: \(names)")
    }

    /// How a release that changes a replace trigger's encoding ships its migration: records and
    /// journal intents of that kind are rewritten, others are not.
    @Test func aStepCanRewriteATriggerAttributeFromTheOldEncodingToTheNew() {
        var lockfile = StateFixtures.lockfile(resources: 10)
        lockfile.journal[0].attributes["principals"] = "b,a"
        lockfile.rewriteAttribute("principals", of: .instance) { old in
            old.split(separator: ",").sorted().joined(separator: " ")
        }
        for record in lockfile.resources.values {
            let before = StateFixtures.lockfile(resources: 10).resources[record.address]!.attributes["principals"]!
            if record.kind == .instance {
                #expect(record.attributes["principals"] == before.split(separator: ",").sorted().joined(separator: " "))
            } else {
                #expect(record.attributes["principals"] == before)
            }
        }
        #expect(lockfile.journal[0].attributes["principals"] == "b,a", "a volume intent is not an instance")
        lockfile.updateRecords { $0.outputs["migrated"] = "yes" }
        #expect(lockfile.resources.values.allSatisfy { $0.outputs["migrated"] == "yes" })
    }

    /// The guard: the replace triggers of every kind a released lockfile may record, as of the
    /// current lockfile format. A release that changes one of them (a key, or what a key's value
    /// holds) must add a `LockfileMigration` step that rewrites recorded values, bump
    /// `Lockfile.currentFormatVersion`, and only then update this table; the upgrade test
    /// (`UpgradeTests`) then proves that no database instance or encrypted volume is replaced.
    /// A kind added since the last release (`flow_log`) is not here: no released lockfile records
    /// one, so there is nothing to migrate; its triggers join this table when its release is cut.
    /// One trigger joined a released kind in format 2 without a migration, on purpose: instance
    /// `root_key` (0.2.0). A 0.1.0 record lacks it because its host's root volume is unencrypted,
    /// which only a new launch can change, so the absence is the truth the plan must compare: every
    /// such instance is replaced, rolled, and no volume is (`UpgradeTests`, `RootEncryptionPlanTests`).
    @Test func replaceTriggersChangeOnlyWithAMigration() {
        let triggersOfFormat2: [ResourceKind: Set<String>] = [
            .network: ["cidr", "subnet_cidr", "zone", "vpc", "subnets"],
            .firewall: ["network"],
            .firewallRule: ["firewall", "purpose", "protocol", "port", "cidr"],
            .vpn: ["network", "peer_ip"],
            .key: ["alias", "customer_key"],
            .volume: ["encrypted", "key", "zone"],
            .instance: ["role", "vcpu", "memory_mib", "host", "zone", "image", "container_image", "network", "ssh_ca",
                        "principals", "root_key"],
            .attachment: ["volume", "instance", "device"],
            .loadBalancer: ["network", "type", "scheme"],
            .lbTarget: ["load_balancer", "instance", "port"],
            .backupPlan: ["key"],
        ]
        #expect(Lockfile.currentFormatVersion == 2, "a new format: record its triggers here")
        for (kind, triggers) in triggersOfFormat2 {
            #expect(ResourceKind.allCases.contains(kind), "\(kind) was released: a lockfile may record it")
            #expect(kind.replaceOnChange == triggers,
                    "replace triggers of \(kind) changed: ship a LockfileMigration that rewrites recorded values")
        }
    }
}
