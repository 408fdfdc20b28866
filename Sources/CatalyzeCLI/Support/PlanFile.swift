import CatalyzeAccess
import CatalyzePlanner
import Foundation

/// Saved plans (`plan --out`): the whole plan as JSON, written atomically with mode 0600.
/// They hold no secret (specs carry references only), but they do describe the pod.
enum PlanFile {
    static func write(_ plan: Plan, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(plan)
        // 0600 from its creation (never written, then chmodded), never through a symbolic link.
        try AtomicFile.replace(path, with: Array(data), mode: 0o600)
    }

    static func read(_ path: String) throws -> Plan {
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
        do {
            return try JSONDecoder().decode(Plan.self, from: data)
        } catch {
            throw PlanFileError(
                message: "\(path) is not a catalyze plan file (\(PlainWords.jsonProblem(error))); make one with `catalyze plan --out \(path)`")
        }
    }
}

struct PlanFileError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
