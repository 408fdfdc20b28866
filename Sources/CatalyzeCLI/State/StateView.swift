import CatalyzeCore
import CatalyzeState
import Foundation

/// Human and JSON views of a lockfile for `catalyze state` (two views of the same value).
public enum StateView {
    /// The JSON views' format version.
    public static let formatVersion = JSONFormat.version

    /// `state list`: one address per line, sorted.
    public static func list(_ lockfile: Lockfile) -> String {
        lockfile.sortedRecords.map { "\($0.address)\n" }.joined()
    }

    /// `state list --json`: identity, every resource's summary, and pending journal entries.
    public static func listJSON(_ lockfile: Lockfile) throws -> String {
        struct Summary: Encodable {
            var address: String, kind: String, provider: String, cloud_region: String, cloud_id: String
        }
        struct Pending: Encodable { var token: String, operation: String, address: String }
        struct Document: Encodable {
            var format_version: Int, pod: String, lineage: String, serial: Int
            var resources: [Summary], pending: [Pending]
        }
        return try json(Document(
            format_version: formatVersion, pod: lockfile.pod, lineage: lockfile.lineage, serial: lockfile.serial,
            resources: lockfile.sortedRecords.map {
                Summary(address: $0.address.description, kind: $0.kind.rawValue, provider: $0.provider.rawValue,
                        cloud_region: $0.cloudRegion, cloud_id: $0.cloudID)
            },
            pending: lockfile.journal.map {
                Pending(token: $0.token, operation: $0.operation.rawValue, address: $0.address.description)
            }))
    }

    /// `state show ADDRESS`: every recorded field, maps sorted by key.
    public static func show(_ record: ResourceRecord) -> String {
        var lines = [
            "# \(record.address)",
            "kind         = \(record.kind)",
            "provider     = \(record.provider)",
            "cloud_region = \(record.cloudRegion)",
            "cloud_id     = \(record.cloudID)",
            "token        = \(record.token)",
            "dependencies = [\(record.dependencies.map(\.description).joined(separator: ", "))]",
        ]
        for (title, map) in [("attributes", record.attributes), ("outputs", record.outputs)] {
            lines.append("\(title):")
            let width = map.keys.map(\.count).max() ?? 0
            for (key, value) in map.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(key.padding(toLength: width, withPad: " ", startingAt: 0)) = \(value)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `state show ADDRESS --json`: `{"format_version": 1, "resource": {…}}`.
    public static func showJSON(_ record: ResourceRecord) throws -> String {
        struct Document: Encodable { var format_version: Int, resource: ResourceRecord }
        return try json(Document(format_version: formatVersion, resource: record))
    }

    /// Lines warning about write-ahead intents left by an interrupted run (empty when none).
    public static func pendingWarnings(_ lockfile: Lockfile) -> [String] {
        lockfile.journal.map {
            "warning: interrupted \($0.operation.rawValue) of \($0.address) (token \($0.token), started "
                + "\(ISO8601DateFormatter().string(from: $0.startedAt))); the next apply reconciles it"
        }
    }

    private static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
