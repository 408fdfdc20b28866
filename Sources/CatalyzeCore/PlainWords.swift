import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Foundation's errors in plain words. Its own texts are no use to a user (`The operation could
/// not be completed. (NSCocoaErrorDomain error 512.)`, or a `DecodingError` dump with coding
/// keys), so every message that reports a file or JSON problem goes through here.
public enum PlainWords {
    /// Why a file operation failed: the system's reason (`permission denied`, `is a directory`).
    public static func fileProblem(_ error: any Error) -> String {
        if let posix = error as? POSIXError { return reason(errno: posix.code.rawValue) }
        let bridged = error as NSError
        if let underlying = bridged.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return reason(errno: Int32(underlying.code))
        }
        if bridged.domain == NSPOSIXErrorDomain { return reason(errno: Int32(bridged.code)) }
        if let cocoa = error as? CocoaError {
            switch cocoa.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or directory"
            case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
            case .fileWriteOutOfSpace: return "no space left on the device"
            case .fileWriteVolumeReadOnly: return "read-only file system"
            case .fileWriteFileExists: return "the file exists"
            case .fileReadCorruptFile: return "not in the expected format"
            case .fileReadInapplicableStringEncoding: return "not UTF-8 text"
            default: break
            }
        }
        return "the system refused (\(bridged.domain) \(bridged.code))"
    }

    /// What is wrong with a JSON document, where (`changes[3].action`), without the decoder's dump.
    public static func jsonProblem(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else {
            return "not JSON"
        }
        switch decoding {
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "not JSON" : "\(path(context.codingPath)) holds an unexpected value"
        case let .keyNotFound(key, context):
            return "\(path(context.codingPath + [key])) is missing"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return "\(path(context.codingPath)) is not of the expected type"
        @unknown default:
            return "not in the expected format"
        }
    }

    /// `changes[3].action` from a coding path.
    public static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
        return text.isEmpty ? "the document" : "'\(text)'"
    }

    private static func reason(errno code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}
