import CatalyzeAccess
import CatalyzeCore
import CatalyzePlanner
import Foundation

/// Where a pod's run-time customer-access switches are kept (`ExposureSettings`): a file beside the
/// lockfile today; a state backend may keep them beside the state it holds.
public protocol ExposureRecordStore: Sendable {
    /// The switches; empty settings when none were ever made.
    func load() throws -> ExposureSettings
    /// Replaces the switches.
    func save(_ settings: ExposureSettings) throws
}

/// `catalyze.access.exposure.json` beside the lockfile: the run-time customer-access switches.
public struct ExposureFile: ExposureRecordStore {
    /// The file's path.
    public let path: String

    /// The exposure file in the folder of the lockfile at `lockfile`.
    public init(besideLockfile lockfile: String) {
        let folder = (lockfile as NSString).deletingLastPathComponent
        path = (folder.isEmpty ? "." : folder) + "/catalyze.access.exposure.json"
    }

    public func load() throws -> ExposureSettings {
        guard let data = FileManager.default.contents(atPath: path) else { return ExposureSettings() }
        do {
            return try JSONDecoder().decode(ExposureSettings.self, from: data)
        } catch {
            throw ExposureFileError(
                message: "\(path) is not a catalyze exposure file (\(PlainWords.jsonProblem(error))); `catalyze access expose|conceal` rewrites it")
        }
    }

    public func save(_ settings: ExposureSettings) throws {
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

/// An exposure file that cannot be read or written, with its path.
public struct ExposureFileError: Error, CustomStringConvertible {
    /// What went wrong, naming the file.
    public let message: String
    public var description: String { message }
}
