import CatalyzeCore
import Foundation

/// What `catalyze state migrate` leaves where a pod's lockfile was: where the state went, when,
/// and the lineage and serial it had. Its `format_version` is far above any lockfile format, so
/// every release refuses it: catalyze 0.1.0 as a `format_version` it does not support, this
/// and later releases with `StateError.moved`, naming the new backend. An old folder thus cannot
/// keep applying against state that now lives elsewhere.
public struct StateTombstone: Sendable, Hashable {
    /// The `format_version` that marks a tombstone.
    public static let formatVersion = 1000

    /// The backend the state moved to (`s3://…`, `etcd://…`, `file:…`).
    public var movedTo: String
    /// When.
    public var movedAt: Date
    /// The pod.
    public var pod: String
    /// The lineage the state had (and still has at the new backend).
    public var lineage: String
    /// The serial it had here (the new backend's first write is this plus one).
    public var serial: Int

    /// Creates one.
    public init(movedTo: String, movedAt: Date, pod: String, lineage: String, serial: Int) {
        self.movedTo = movedTo
        self.movedAt = Timestamp.normalized(movedAt)
        self.pod = pod
        self.lineage = lineage
        self.serial = serial
    }

    /// The JSON document: `format_version`, `written_by`, `lineage` and `serial` first (where a
    /// lockfile's header is read from), then `pod`, `moved_to`, `moved_at`.
    public func encoded() -> [UInt8] {
        func quoted(_ text: String) -> String {
            let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
            return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
        }
        let text = """
            {
              "format_version": \(Self.formatVersion),
              "written_by": \(quoted(Release.version)),
              "lineage": \(quoted(lineage)),
              "serial": \(serial),
              "pod": \(quoted(pod)),
              "moved_to": \(quoted(movedTo)),
              "moved_at": \(quoted(Timestamp.format(movedAt)))
            }

            """
        return Array(text.utf8)
    }

    /// The tombstone in `bytes`, or nil when they are not one (a lockfile, or anything else).
    public static func decode(_ bytes: [UInt8]) -> StateTombstone? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              object["format_version"] as? Int == formatVersion,
              let movedTo = object["moved_to"] as? String, let pod = object["pod"] as? String,
              let lineage = object["lineage"] as? String, let serial = object["serial"] as? Int,
              let at = (object["moved_at"] as? String).flatMap(Timestamp.parse)
        else { return nil }
        return StateTombstone(movedTo: movedTo, movedAt: at, pod: pod, lineage: lineage, serial: serial)
    }
}
