import CatalyzeAccess
import CatalyzePlanner
import Foundation

/// `catalyze.access.exposure.json` beside the lockfile: the run-time customer-access switches.
enum ExposureFile {
    static func path(besideLockfile lockfile: String) -> String {
        let folder = (lockfile as NSString).deletingLastPathComponent
        return (folder.isEmpty ? "." : folder) + "/catalyze.access.exposure.json"
    }

    static func load(_ path: String) throws -> ExposureSettings {
        guard let data = FileManager.default.contents(atPath: path) else { return ExposureSettings() }
        do {
            return try JSONDecoder().decode(ExposureSettings.self, from: data)
        } catch {
            throw ExposureFileError(
                message: "\(path) is not a catalyze exposure file (\(PlainWords.jsonProblem(error))); `catalyze access expose|conceal` rewrites it")
        }
    }

    static func save(_ settings: ExposureSettings, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            // 0600 from its creation (never written, then chmodded), never through a symbolic link.
            try AtomicFile.replace(path, with: Array(try encoder.encode(settings)), mode: 0o600)
        } catch {
            throw ExposureFileError(message: "\(path): cannot write the exposure file: \(PlainWords.fileProblem(error))")
        }
    }
}

struct ExposureFileError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
