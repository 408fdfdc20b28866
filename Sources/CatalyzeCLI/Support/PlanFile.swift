import CatalyzeAccess
import CatalyzeCore
import CatalyzePlanner
import CatalyzeScheduler
import Foundation

/// Saved plans (`plan --out`): `plan --json`'s document (docs/json.md, `plan`) with `written_by`
/// and `execution` (the whole plan, for `apply`) added, written atomically with mode 0600. They
/// hold no secret (specs carry references only), but they do describe the pod.
enum PlanFile {
    /// What `read` gives: the plan to apply, and the placement `plan --explain` saved with it.
    struct Saved {
        let plan: Plan
        let placement: [String: PlacementJSON]?
    }

    static func write(_ plan: Plan, traces: [String: PlacementTrace], to path: String) throws {
        var document = PlanJSON(plan, traces: traces)
        document.written_by = Release.version
        document.execution = plan
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(document)
        // 0600 from its creation (never written, then chmodded), never through a symbolic link.
        try AtomicFile.replace(path, with: Array(data), mode: 0o600)
    }

    /// Reads a plan saved by this release; a plan of another release is refused naming both,
    /// before the rest is decoded (another release may shape it differently, and its actions were
    /// decided by that release's planner against that release's lockfile format).
    static func read(_ path: String) throws -> Saved {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw PlanFileError(message: "\(path): cannot read the plan file: it is a directory (give the file `plan --out` wrote)")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PlanFileError(message: "\(path): cannot read the plan file: \(PlainWords.fileProblem(error))")
        }
        if let writer = try? JSONDecoder().decode(Writer.self, from: data), writer.writtenBy != Release.version {
            let other = writer.writtenBy.map { "catalyze \($0)" } ?? "catalyze 0.1.0 (or another release that did not record itself)"
            throw PlanFileError(
                message: "\(path) was made by \(other); this is catalyze \(Release.version). A plan is applied only by "
                    + "the release that made it: run `catalyze plan --out \(path)` again with this catalyze")
        }
        do {
            let saved = try JSONDecoder().decode(Envelope.self, from: data)
            return Saved(plan: saved.execution, placement: saved.placement)
        } catch {
            throw PlanFileError(
                message: "\(path) is not a catalyze plan file (\(PlainWords.jsonProblem(error))); make one with `catalyze plan --out \(path)`")
        }
    }
}

/// What `apply` and `show` decode from a plan file of this release.
private struct Envelope: Decodable {
    let execution: Plan
    let placement: [String: PlacementJSON]?
}

/// What is checked before a plan file is decoded: the release that wrote it. Only a document with
/// a plan's envelope (every release's plan has `format_version`, `pod` and `serial`) is said to be
/// another release's plan; anything else (`{"pod": 3}`) is reported as not a plan file at all.
private struct Writer: Decodable {
    let writtenBy: String?
    let formatVersion: Int
    let pod: String
    let serial: Int
    enum CodingKeys: String, CodingKey {
        case writtenBy = "written_by"
        case formatVersion = "format_version"
        case pod, serial
    }
}

struct PlanFileError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
