import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where human output goes and how it looks: colour only on a terminal and without `NO_COLOR`.
struct Terminal: Sendable {
    /// Standard output is a terminal.
    let stdoutIsTTY: Bool
    /// Standard input is a terminal (for confirmation prompts).
    let stdinIsTTY: Bool
    /// Use ANSI colours.
    let color: Bool

    static let current: Terminal = {
        let out = isatty(STDOUT_FILENO) == 1
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let dumb = ProcessInfo.processInfo.environment["TERM"] == "dumb"
        return Terminal(stdoutIsTTY: out, stdinIsTTY: isatty(STDIN_FILENO) == 1, color: out && !noColor && !dumb)
    }()

    enum Style: String {
        case red = "31", green = "32", yellow = "33", blue = "34", magenta = "35", cyan = "36", bold = "1", dim = "2"
    }

    func paint(_ text: String, _ style: Style) -> String {
        color ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Encodes a value as pretty, key-sorted JSON text (deterministic).
func jsonText<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// Flushes standard output (progress lines must appear as they happen, also through a pipe).
func flushOutput() {
    fflush(nil)  // all C streams: standard output is one of them
}
