/// How serious a diagnostic is.
public enum Severity: String, Hashable, Sendable, Codable, Comparable {
    case error
    case warning
    case note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    /// Errors sort before warnings before notes.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A user-facing problem: where, how serious, what, and (optionally) how to fix it.
///
/// Library targets return diagnostics as values; only the CLI prints them.
public struct Diagnostic: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Error, warning or note.
    public var severity: Severity
    /// Stable machine-readable identifier, e.g. `unknown-key`.
    public var code: String
    /// Where the problem is, when it comes from a file.
    public var location: SourceLocation?
    /// One-line summary.
    public var message: String
    /// Optional hint, e.g. "did you mean `replicas`?".
    public var hint: String?

    /// Creates a diagnostic.
    public init(severity: Severity, code: String, location: SourceLocation?, message: String, hint: String? = nil) {
        self.severity = severity
        self.code = code
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// `file:line:col: error: message (hint)` — the compiler-style rendering editors understand.
    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        text += "\(severity.rawValue): \(message)"
        if let hint { text += " (\(hint))" }
        return text
    }
}

extension Array where Element == Diagnostic {
    /// True when at least one diagnostic is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Sorted by location (file, line, column), then severity, then message: deterministic output.
    public func sortedForDisplay() -> [Diagnostic] {
        sorted { a, b in
            switch (a.location, b.location) {
            case let (l?, r?) where l != r: return l < r
            case (nil, _?): return false
            case (_?, nil): return true
            default:
                if a.severity != b.severity { return a.severity < b.severity }
                return a.message < b.message
            }
        }
    }
}

/// An error that carries one or more diagnostics (e.g. a manifest that failed validation).
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    /// The problems, in display order.
    public var diagnostics: [Diagnostic]

    /// Creates the error.
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics.sortedForDisplay() }

    /// One line per diagnostic.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
