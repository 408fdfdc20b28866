import CatalyzeCore
import CatalyzeModel
import Foundation

/// The lockfile (`catalyze.lock.json`): what catalyze has made for one pod, and what it is making.
///
/// `lineage` is fixed when the lockfile is created and `serial` grows by one on every write, so a
/// store can refuse a stale or foreign copy. Resources are encoded as an array sorted by address,
/// so the same value always gives the same bytes.
public struct Lockfile: Codable, Sendable, Equatable {
    /// The format this library writes; it reads every earlier one too, upgrading it through
    /// `LockfileMigration.chain` (a newer one is refused untouched).
    public static let currentFormatVersion = 2

    /// The release that introduced each format (for messages naming both sides of a mismatch).
    public static let formatReleases: [Int: String] = [1: "0.1.0", 2: "0.2.0"]

    /// The document format (`2`; `1` before 0.2.0).
    public var formatVersion: Int
    /// The catalyze release that last wrote the file (`written_by`; format 2 on).
    /// `StateStore.save` sets it to `Release.version`.
    public var writtenBy: String
    /// A UUID fixed at creation: two lockfiles of different lineage describe different pods.
    public var lineage: String
    /// Grows by one on every write (`StateStore.save` does it).
    public var serial: Int
    /// The pod's name.
    public var pod: String
    /// Every resource by address.
    public var resources: [ResourceAddress: ResourceRecord]
    /// Write-ahead intents of mutating calls not yet recorded, oldest first.
    public var journal: [JournalEntry]

    /// Creates a lockfile.
    public init(
        formatVersion: Int = Lockfile.currentFormatVersion, writtenBy: String = Release.version, lineage: String,
        serial: Int, pod: String, resources: [ResourceAddress: ResourceRecord] = [:], journal: [JournalEntry] = []
    ) {
        self.formatVersion = formatVersion
        self.writtenBy = writtenBy
        self.lineage = lineage
        self.serial = serial
        self.pod = pod
        self.resources = resources
        self.journal = journal
    }

    /// A new, empty lockfile for a pod (serial 0); pass a fresh UUID string as lineage.
    public static func new(pod: String, lineage: String) -> Lockfile {
        Lockfile(lineage: lineage, serial: 0, pod: pod)
    }

    /// The records sorted by address (the order they are written in).
    public var sortedRecords: [ResourceRecord] {
        resources.values.sorted { $0.address < $1.address }
    }

    /// Records a write-ahead intent (save the lockfile before making the call).
    public mutating func begin(_ entry: JournalEntry) {
        journal.removeAll { $0.token == entry.token }
        journal.append(entry)
    }

    /// Removes the intent with `token` and records its outcome: `record` for a create or update,
    /// nil for a delete (the resource at the intent's address is removed).
    public mutating func finish(token: String, result record: ResourceRecord?) {
        let entries = journal.filter { $0.token == token }
        journal.removeAll { $0.token == token }
        if let record {
            resources[record.address] = record
        } else {
            for entry in entries where entry.operation == .delete { resources[entry.address] = nil }
        }
    }

    /// Moves the record at `address` to `deposedAddress`, if it still records `cloudID`: the old
    /// half of a create-before-destroy replacement keeps its record (and is deleted under the new
    /// address) while the new resource is made under `address`. A record already moved, or one
    /// recording another resource, is left as it is.
    public mutating func depose(_ address: ResourceAddress, cloudID: String, to deposedAddress: ResourceAddress) {
        guard var record = resources[address], record.cloudID == cloudID, resources[deposedAddress] == nil else { return }
        resources[address] = nil
        record.address = deposedAddress
        resources[deposedAddress] = record
    }

    /// Removes the intent with `token` without recording anything (the call failed cleanly).
    public mutating func abandon(token: String) {
        journal.removeAll { $0.token == token }
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case writtenBy = "written_by"
        case lineage, serial, pod, journal, resources
    }

    /// Decodes a lockfile (resources from an array; a repeated address is an error). Format 1 has
    /// no `written_by` (it reads as ""; `LockfileMigration` fills it in).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        writtenBy = try container.decodeIfPresent(String.self, forKey: .writtenBy) ?? ""
        lineage = try container.decode(String.self, forKey: .lineage)
        serial = try container.decode(Int.self, forKey: .serial)
        pod = try container.decode(String.self, forKey: .pod)
        journal = try container.decode([JournalEntry].self, forKey: .journal)
        let records = try container.decode([ResourceRecord].self, forKey: .resources)
        resources = Dictionary(minimumCapacity: records.count)
        for record in records {
            guard resources.updateValue(record, forKey: record.address) == nil else {
                throw DecodingError.dataCorruptedError(
                    forKey: .resources, in: container, debugDescription: "address \(record.address) appears twice")
            }
        }
    }

    /// Encodes the lockfile (resources as an array sorted by address).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(formatVersion, forKey: .formatVersion)
        if formatVersion >= 2 { try container.encode(writtenBy, forKey: .writtenBy) }
        try container.encode(lineage, forKey: .lineage)
        try container.encode(serial, forKey: .serial)
        try container.encode(pod, forKey: .pod)
        try container.encode(journal, forKey: .journal)
        try container.encode(sortedRecords, forKey: .resources)
    }
}
