import CatalyzeCore
import CatalyzeModel
import Foundation

extension LockfileCodec {
    /// The fields a store checks before overwriting a lockfile.
    public struct Header: Sendable, Equatable {
        /// `format_version`.
        public var formatVersion: Int
        /// `lineage`.
        public var lineage: String
        /// `serial`.
        public var serial: Int
        /// `written_by` when it comes before the other three (as the encoder writes it; format 2 on).
        public var writtenBy: String?

        /// Creates a header.
        public init(formatVersion: Int, lineage: String, serial: Int, writtenBy: String? = nil) {
            self.formatVersion = formatVersion
            self.lineage = lineage
            self.serial = serial
            self.writtenBy = writtenBy
        }
    }

    /// Decodes a lockfile of any format up to the current one, upgraded to the current one by
    /// `LockfileMigration.chain` (its `formatVersion` then says the current format; the bytes still
    /// hold the old one until the first save). `path` names it in errors (`StateError.corrupt` with
    /// line and column, `.newerFormatVersion`, `.unsupportedFormatVersion`). Keys may come in any
    /// order; unknown keys are refused.
    public static func decode(_ bytes: [UInt8], path: String) throws(StateError) -> Lockfile {
        let result: Result<Lockfile, JSONReadError> = bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(buffer)
            return Result { () throws(JSONReadError) in try lockfile(&reader) }
        }
        switch result {
        case .success(var lockfile):
            try checkFormat(lockfile.formatVersion, writtenBy: lockfile.writtenBy.isEmpty ? nil : lockfile.writtenBy, path: path)
            LockfileMigration.upgrade(&lockfile)
            return lockfile
        case .failure(let failure):
            // A newer format may not parse as this one: name the version, not the first mismatch.
            if let header = try? header(bytes, path: path) {
                try checkFormat(header.formatVersion, writtenBy: header.writtenBy, path: path)
            }
            throw corrupt(bytes, failure, path: path)
        }
    }

    /// Refuses a format this build cannot read: a newer one (naming its writer) or one below 1.
    public static func checkFormat(_ version: Int, writtenBy: String?, path: String) throws(StateError) {
        if version > Lockfile.currentFormatVersion {
            throw .newerFormatVersion(path: path, found: version, writtenBy: writtenBy)
        }
        if version < 1 { throw .unsupportedFormatVersion(path: path, found: version) }
    }

    /// Reads only `format_version`, `lineage` and `serial`: it stops as soon as it has all three
    /// (the encoder writes them first), skipping whatever comes before them.
    ///
    /// `bytes` may be just the start of the file; one that ends before the three are read is
    /// `.corrupt`, as a short file is.
    public static func header(_ bytes: [UInt8], path: String) throws(StateError) -> Header {
        let result: Result<Header, JSONReadError> = bytes.withUnsafeBufferPointer { buffer in
            var r = JSONReader(buffer)
            return Result { () throws(JSONReadError) in
                try r.expect(UInt8(ascii: "{"))
                var version: Int?, lineage: String?, serial: Int?, writtenBy: String?
                var first = true
                while version == nil || lineage == nil || serial == nil, let key = try r.nextKey(first: &first) {
                    switch key {
                    case "format_version": version = try r.int()
                    case "written_by": writtenBy = try r.string()
                    case "lineage": lineage = try r.string()
                    case "serial": serial = try r.int()
                    default: try r.skipValue()
                    }
                }
                guard let version else { throw r.error("missing key 'format_version'") }
                guard let lineage else { throw r.error("missing key 'lineage'") }
                guard let serial else { throw r.error("missing key 'serial'") }
                return Header(formatVersion: version, lineage: lineage, serial: serial, writtenBy: writtenBy)
            }
        }
        switch result {
        case .success(let header): return header
        case .failure(let failure): throw corrupt(bytes, failure, path: path)
        }
    }

    private static func corrupt(_ bytes: [UInt8], _ failure: JSONReadError, path: String) -> StateError {
        let (line, column) = bytes.withUnsafeBufferPointer { JSONReader($0).position(of: failure.offset) }
        return .corrupt(path: path, line: line, column: column, reason: failure.reason)
    }

    private static func lockfile(_ r: inout JSONReader) throws(JSONReadError) -> Lockfile {
        try r.expect(UInt8(ascii: "{"))
        let start = r.offset
        var version: Int?, writtenBy: String?, lineage: String?, serial: Int?, pod: String?
        var journal: [JournalEntry]?, resources: [ResourceAddress: ResourceRecord]?
        var first = true
        while let key = try r.nextKey(first: &first) {
            let at = r.keyOffset
            switch key {
            case "format_version": try fresh(version, r, at); version = try r.int()
            case "written_by": try fresh(writtenBy, r, at); writtenBy = try r.string()
            case "lineage": try fresh(lineage, r, at); lineage = try r.string()
            case "serial": try fresh(serial, r, at); serial = try r.int()
            case "pod": try fresh(pod, r, at); pod = try r.string()
            case "journal": try fresh(journal, r, at); journal = try array(&r, journalEntry)
            case "resources": try fresh(resources, r, at); resources = try records(&r)
            default: throw r.error("unknown key '\(key)' in the lockfile", at: at)
            }
        }
        try r.expectEnd()
        let format = try required(version, "format_version", r, start)
        // Format 1 has no `written_by` (its migration records it); from format 2 on it is required.
        if format >= 2, writtenBy == nil { throw r.error("missing key 'written_by'", at: start) }
        return Lockfile(
            formatVersion: format, writtenBy: writtenBy ?? "",
            lineage: try required(lineage, "lineage", r, start), serial: try required(serial, "serial", r, start),
            pod: try required(pod, "pod", r, start), resources: try required(resources, "resources", r, start),
            journal: try required(journal, "journal", r, start))
    }

    static func resourceRecord(_ r: inout JSONReader) throws(JSONReadError) -> ResourceRecord {
        try r.expect(UInt8(ascii: "{"))
        let start = r.offset - 1
        var address: ResourceAddress?, kind: ResourceKind?, provider: Provider?, cloudRegion: String?
        var cloudID: String?, token: String?, dependencies: [ResourceAddress]?
        var attributes: [String: String]?, outputs: [String: String]?
        var first = true
        while let key = try r.nextKey(first: &first) {
            let at = r.keyOffset
            switch key {
            case "address": try fresh(address, r, at); address = try resourceAddress(&r)
            case "kind": try fresh(kind, r, at); kind = try rawEnum(&r, ResourceKind.self, "kind")
            case "provider": try fresh(provider, r, at); provider = try rawEnum(&r, Provider.self, "provider")
            case "cloud_region": try fresh(cloudRegion, r, at); cloudRegion = try r.string()
            case "cloud_id": try fresh(cloudID, r, at); cloudID = try r.string()
            case "token": try fresh(token, r, at); token = try r.string()
            case "dependencies": try fresh(dependencies, r, at); dependencies = try array(&r, resourceAddress)
            case "attributes": try fresh(attributes, r, at); attributes = try stringMap(&r)
            case "outputs": try fresh(outputs, r, at); outputs = try stringMap(&r)
            default: throw r.error("unknown key '\(key)' in a resource", at: at)
            }
        }
        var record = ResourceRecord(
            address: try required(address, "address", r, start), kind: try required(kind, "kind", r, start),
            provider: try required(provider, "provider", r, start),
            cloudRegion: try required(cloudRegion, "cloud_region", r, start),
            cloudID: try required(cloudID, "cloud_id", r, start),
            attributes: try required(attributes, "attributes", r, start),
            outputs: try required(outputs, "outputs", r, start), dependencies: [],
            token: try required(token, "token", r, start))
        record.dependencies = try required(dependencies, "dependencies", r, start)
        return record
    }

    private static func journalEntry(_ r: inout JSONReader) throws(JSONReadError) -> JournalEntry {
        try r.expect(UInt8(ascii: "{"))
        let start = r.offset - 1
        var token: String?, operation: CatalyzeModel.Operation?, address: ResourceAddress?, kind: ResourceKind?
        var provider: Provider?, cloudRegion: String?, startedAt: Date?, attributes: [String: String]?
        var first = true
        while let key = try r.nextKey(first: &first) {
            let at = r.keyOffset
            switch key {
            case "token": try fresh(token, r, at); token = try r.string()
            case "operation": try fresh(operation, r, at); operation = try rawEnum(&r, CatalyzeModel.Operation.self, "operation")
            case "address": try fresh(address, r, at); address = try resourceAddress(&r)
            case "kind": try fresh(kind, r, at); kind = try rawEnum(&r, ResourceKind.self, "kind")
            case "provider": try fresh(provider, r, at); provider = try rawEnum(&r, Provider.self, "provider")
            case "cloud_region": try fresh(cloudRegion, r, at); cloudRegion = try r.string()
            case "started_at":
                try fresh(startedAt, r, at)
                _ = r.peek()
                let valueAt = r.offset
                let text = try r.string()
                guard let date = Timestamp.parse(text) else {
                    throw r.error("'\(text)' is not a timestamp like 2026-01-31T12:00:00.000Z", at: valueAt)
                }
                startedAt = date
            case "attributes": try fresh(attributes, r, at); attributes = try stringMap(&r)
            default: throw r.error("unknown key '\(key)' in a journal entry", at: at)
            }
        }
        return JournalEntry(
            token: try required(token, "token", r, start), operation: try required(operation, "operation", r, start),
            address: try required(address, "address", r, start), kind: try required(kind, "kind", r, start),
            provider: try required(provider, "provider", r, start),
            cloudRegion: try required(cloudRegion, "cloud_region", r, start),
            attributes: try required(attributes, "attributes", r, start),
            startedAt: try required(startedAt, "started_at", r, start))
    }

    // MARK: - Field helpers

    private static func fresh<T>(_ slot: T?, _ r: JSONReader, _ at: Int) throws(JSONReadError) {
        guard slot == nil else { throw r.error("duplicate key", at: at) }
    }

    private static func required<T>(_ value: T?, _ key: String, _ r: JSONReader, _ start: Int) throws(JSONReadError) -> T {
        guard let value else { throw r.error("missing key '\(key)'", at: start) }
        return value
    }

    private static func array<T>(
        _ r: inout JSONReader, _ element: (inout JSONReader) throws(JSONReadError) -> T
    ) throws(JSONReadError) -> [T] {
        try r.expect(UInt8(ascii: "["))
        var result: [T] = []
        var first = true
        while try r.nextElement(first: &first) { result.append(try element(&r)) }
        return result
    }

    private static func stringMap(_ r: inout JSONReader) throws(JSONReadError) -> [String: String] {
        try r.expect(UInt8(ascii: "{"))
        var result: [String: String] = [:]
        var first = true
        while let key = try r.nextKey(first: &first) {
            guard result.updateValue(try r.string(), forKey: key) == nil else {
                throw r.error("duplicate key '\(key)'", at: r.keyOffset)
            }
        }
        return result
    }

    private static func resourceAddress(_ r: inout JSONReader) throws(JSONReadError) -> ResourceAddress {
        _ = r.peek()
        let at = r.offset
        if let raw = r.plainASCIIString() {
            // The common case, split on bytes: `region/kind.name`, as `ResourceAddress(parsing:)`.
            if let slash = raw.firstIndex(of: UInt8(ascii: "/")), slash > 0,
               let dot = raw[(slash + 1)...].firstIndex(of: UInt8(ascii: ".")), dot > slash + 1, dot < raw.count - 1 {
                func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: raw[range]), as: UTF8.self) }
                // An unknown kind falls through to the slow path, which reports it.
                if let kind = ResourceKind(rawValue: text(slash + 1..<dot)) {
                    return ResourceAddress(region: text(0..<slash), kind: kind, name: text(dot + 1..<raw.count))
                }
            }
            r.move(to: at)
        }
        let text = try r.string()
        guard let address = ResourceAddress(parsing: text) else {
            throw r.error("malformed resource address '\(text)' (want region/kind.name)", at: at)
        }
        return address
    }

    private static func rawEnum<T: RawRepresentable>(
        _ r: inout JSONReader, _ type: T.Type, _ what: String
    ) throws(JSONReadError) -> T where T.RawValue == String {
        _ = r.peek()
        let at = r.offset
        let text = try r.string()
        guard let value = T(rawValue: text) else { throw r.error("unknown \(what) '\(text)'", at: at) }
        return value
    }
}
