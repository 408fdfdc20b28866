import CatalyzeCore
import CatalyzeModel
import Foundation

/// The lockfile's on-disk form: pretty, deterministic JSON written and read without Foundation's
/// coders (which take seconds on 100,000 resources). The bytes decode with `JSONDecoder` too.
///
/// Layout: `format_version`, `written_by` (format 2 on), `lineage`, `serial`, `pod`, `journal`, `resources` (sorted by address);
/// within a record, fixed key order and attribute/output maps sorted by key.
public enum LockfileCodec {
    /// Encodes a lockfile; equal values give equal bytes.
    public static func encode(_ lockfile: Lockfile) -> [UInt8] {
        let parts = encodeParts(lockfile)
        guard parts.count > 1 else { return parts.first ?? [] }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { bytes.append(contentsOf: part) }
        return bytes
    }

    /// The encoding as consecutive pieces (a large resource list is written on every core, one
    /// piece each), for a writer that can take them as they are.
    public static func encodeParts(_ lockfile: Lockfile) -> [[UInt8]] {
        var w = JSONWriter(capacity: 16 * 1024 + lockfile.journal.count * 600)
        w.raw("{")
        w.newline(1); w.raw("\"format_version\": "); w.int(lockfile.formatVersion); w.raw(",")
        if lockfile.formatVersion >= 2 { w.newline(1); w.raw("\"written_by\": "); w.string(lockfile.writtenBy); w.raw(",") }
        w.newline(1); w.raw("\"lineage\": "); w.string(lockfile.lineage); w.raw(",")
        w.newline(1); w.raw("\"serial\": "); w.int(lockfile.serial); w.raw(",")
        w.newline(1); w.raw("\"pod\": "); w.string(lockfile.pod); w.raw(",")
        w.newline(1); w.raw("\"journal\": ")
        array(lockfile.journal, depth: 1, into: &w) { entry, w in
            w.raw("\"token\": "); w.string(entry.token); w.raw(",")
            w.newline(3); w.raw("\"operation\": "); w.string(entry.operation.rawValue); w.raw(",")
            w.newline(3); w.raw("\"address\": "); w.string(entry.address.description); w.raw(",")
            w.newline(3); w.raw("\"kind\": "); w.string(entry.kind.rawValue); w.raw(",")
            w.newline(3); w.raw("\"provider\": "); w.string(entry.provider.rawValue); w.raw(",")
            w.newline(3); w.raw("\"cloud_region\": "); w.string(entry.cloudRegion); w.raw(",")
            w.newline(3); w.raw("\"started_at\": "); w.string(Timestamp.format(entry.startedAt)); w.raw(",")
            w.newline(3); w.raw("\"attributes\": "); w.stringMap(entry.attributes, depth: 3)
        }
        w.raw(",")
        w.newline(1); w.raw("\"resources\": ")
        // Sorted by address without copying the records: their places in the dictionary.
        let resources = lockfile.resources
        var order: [(address: ResourceAddress, index: Dictionary<ResourceAddress, ResourceRecord>.Index)] = []
        order.reserveCapacity(resources.count)
        for index in resources.indices { order.append((resources.keys[index], index)) }
        order.sort { $0.address < $1.address }
        guard !order.isEmpty else {
            w.raw("[]")
            w.newline(0); w.raw("}"); w.newline(0)
            return [w.bytes]
        }
        w.raw("[")
        // Large lists are written in pieces side by side (a piece's bytes depend only on its records).
        let pieces = order.count >= 2_000 ? 2 * ProcessInfo.processInfo.activeProcessorCount : 1
        let shared = Unchecked((resources, order))
        var parts = Parallel.map(pieces) { piece in
            let (resources, order) = shared.value
            let range = order.count * piece / pieces..<order.count * (piece + 1) / pieces
            var w = JSONWriter(capacity: range.count * 800)
            for index in range {
                if index > 0 { w.raw(",") }
                w.newline(2); w.raw("{")
                w.newline(3)
                resource(resources.values[order[index].index], into: &w)
                w.newline(2); w.raw("}")
            }
            return w.bytes
        }
        parts.insert(w.bytes, at: 0)
        var tail = JSONWriter(capacity: 8)
        tail.newline(1)
        tail.raw("]")
        tail.newline(0)
        tail.raw("}")
        tail.newline(0)
        parts.append(tail.bytes)
        return parts
    }

    /// One resource's fields, at depth 3.
    private static func resource(_ record: ResourceRecord, into w: inout JSONWriter) {
        w.raw("\"address\": "); w.address(record.address); w.raw(",")
        w.newline(3); w.raw("\"kind\": "); w.string(record.kind.rawValue); w.raw(",")
        w.newline(3); w.raw("\"provider\": "); w.string(record.provider.rawValue); w.raw(",")
        w.newline(3); w.raw("\"cloud_region\": "); w.string(record.cloudRegion); w.raw(",")
        w.newline(3); w.raw("\"cloud_id\": "); w.string(record.cloudID); w.raw(",")
        w.newline(3); w.raw("\"token\": "); w.string(record.token); w.raw(",")
        w.newline(3); w.raw("\"dependencies\": [")
        for (index, dependency) in record.dependencies.enumerated() {
            if index > 0 { w.raw(", ") }
            w.address(dependency)
        }
        w.raw("],")
        w.newline(3); w.raw("\"attributes\": "); w.stringMap(record.attributes, depth: 3); w.raw(",")
        w.newline(3); w.raw("\"outputs\": "); w.stringMap(record.outputs, depth: 3)
    }

    /// Writes `[ {…}, {…} ]` with each element's fields written by `body` at depth + 2.
    private static func array<Element>(
        _ elements: [Element], depth: Int, into w: inout JSONWriter, body: (Element, inout JSONWriter) -> Void
    ) {
        guard !elements.isEmpty else { w.raw("[]"); return }
        w.raw("[")
        for (index, element) in elements.enumerated() {
            if index > 0 { w.raw(",") }
            w.newline(depth + 1); w.raw("{")
            w.newline(depth + 2)
            body(element, &w)
            w.newline(depth + 1); w.raw("}")
        }
        w.newline(depth)
        w.raw("]")
    }
}
