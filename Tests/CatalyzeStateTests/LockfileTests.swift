import CatalyzeCore
import CatalyzeModel
import CatalyzeState
import Foundation
import Testing

@Suite struct LockfileTests {
    let spec = ResourceSpec(
        address: ResourceAddress(region: "primary", kind: .volume, name: "db01"), kind: .volume, provider: .aws,
        cloudRegion: "us-east-1",
        attributes: ["size_gib": "100", "encrypted": "true", "key": "primary/key.main", "zone": "us-east-1a"])

    @Test func newLockfileIsEmptyAtSerialZero() {
        let lockfile = Lockfile.new(pod: "acme", lineage: StateFixtures.lineage)
        #expect(lockfile.formatVersion == Lockfile.currentFormatVersion)
        #expect(lockfile.writtenBy == Release.version)
        #expect(lockfile.serial == 0)
        #expect(lockfile.pod == "acme")
        #expect(lockfile.resources.isEmpty && lockfile.journal.isEmpty)
    }

    @Test func recordFromDriverResultKeepsSpecDependenciesAndCloudValues() {
        let cloud = CloudResource(cloudID: "vol-1", attributes: ["zone": "us-east-1b"], outputs: ["arn": "arn:vol-1"])
        let record = ResourceRecord(spec: spec, resource: cloud, token: "tok-1")
        #expect(record.dependencies == [ResourceAddress(region: "primary", kind: .key, name: "main")])
        #expect(record.attributes["zone"] == "us-east-1b")
        #expect(record.attributes["size_gib"] == "100")
        #expect(record.cloudResource == CloudResource(cloudID: "vol-1", attributes: record.attributes, outputs: ["arn": "arn:vol-1"]))
        #expect(record.spec.address == spec.address && record.spec.kind == .volume)
    }

    @Test func journalBeginThenFinishRecordsTheResult() {
        var lockfile = Lockfile.new(pod: "acme", lineage: StateFixtures.lineage)
        lockfile.begin(JournalEntry(token: "tok-1", operation: .create, spec: spec, startedAt: Date(timeIntervalSince1970: 5)))
        #expect(lockfile.journal.map(\.token) == ["tok-1"])
        let record = ResourceRecord(spec: spec, resource: CloudResource(cloudID: "vol-1"), token: "tok-1")
        lockfile.finish(token: "tok-1", result: record)
        #expect(lockfile.journal.isEmpty)
        #expect(lockfile.resources[spec.address] == record)

        lockfile.begin(JournalEntry(token: "tok-2", operation: .delete, spec: spec, startedAt: Date(timeIntervalSince1970: 6)))
        lockfile.finish(token: "tok-2", result: nil)
        #expect(lockfile.resources.isEmpty && lockfile.journal.isEmpty)
    }

    @Test func abandonDropsOnlyTheIntent() {
        var lockfile = StateFixtures.lockfile(resources: 3)
        let before = lockfile.resources
        lockfile.abandon(token: "tok-pending-1")
        #expect(lockfile.journal.map(\.token) == ["tok-pending-2"])
        #expect(lockfile.resources == before)
    }

    @Test func foundationCodableRoundTripsAndSortsResources() throws {
        let lockfile = StateFixtures.lockfile(resources: 50)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(lockfile)
        #expect(try JSONDecoder().decode(Lockfile.self, from: data) == lockfile)
        #expect(try encoder.encode(lockfile) == data)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let addresses = try #require(object["resources"] as? [[String: Any]]).compactMap { $0["address"] as? String }
        #expect(addresses == lockfile.sortedRecords.map(\.address.description))
        #expect(object["format_version"] as? Int == Lockfile.currentFormatVersion)
        #expect(object["written_by"] as? String == Release.version)
    }

    @Test func journalTimesAreKeptToTheMillisecond() {
        let entry = JournalEntry(
            token: "t", operation: .update, spec: spec, startedAt: Date(timeIntervalSince1970: 10.123456))
        #expect(entry.startedAt == Date(timeIntervalSince1970: 10.123))
    }
}
