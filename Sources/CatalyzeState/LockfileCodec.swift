import CatalyzeCore

/// The lockfile's on-disk form: pretty, deterministic JSON written and read without Foundation's
/// coders (which take seconds on 100,000 resources). The bytes decode with `JSONDecoder` too.
///
/// Layout: `format_version`, `lineage`, `serial`, `pod`, `journal`, `resources` (sorted by address);
/// within a record, fixed key order and attribute/output maps sorted by key.
public enum LockfileCodec {
    /// Encodes a lockfile; equal values give equal bytes.
    public static func encode(_ lockfile: Lockfile) -> [UInt8] {
        var w = JSONWriter(capacity: 64 * 1024 + lockfile.resources.count * 600)
        w.raw("{")
        w.newline(1); w.raw("\"format_version\": "); w.int(lockfile.formatVersion); w.raw(",")
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
        array(lockfile.sortedRecords, depth: 1, into: &w) { record, w in
            w.raw("\"address\": "); w.string(record.address.description); w.raw(",")
            w.newline(3); w.raw("\"kind\": "); w.string(record.kind.rawValue); w.raw(",")
            w.newline(3); w.raw("\"provider\": "); w.string(record.provider.rawValue); w.raw(",")
            w.newline(3); w.raw("\"cloud_region\": "); w.string(record.cloudRegion); w.raw(",")
            w.newline(3); w.raw("\"cloud_id\": "); w.string(record.cloudID); w.raw(",")
            w.newline(3); w.raw("\"token\": "); w.string(record.token); w.raw(",")
            w.newline(3); w.raw("\"dependencies\": [")
            for (index, dependency) in record.dependencies.enumerated() {
                if index > 0 { w.raw(", ") }
                w.string(dependency.description)
            }
            w.raw("],")
            w.newline(3); w.raw("\"attributes\": "); w.stringMap(record.attributes, depth: 3); w.raw(",")
            w.newline(3); w.raw("\"outputs\": "); w.stringMap(record.outputs, depth: 3)
        }
        w.newline(0)
        w.raw("}")
        w.newline(0)
        return w.bytes
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
