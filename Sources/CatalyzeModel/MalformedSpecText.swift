import Foundation

/// Canonical attribute text that does not parse as its typed spec (a hand-edited lockfile, a
/// plan file from elsewhere). Names the entry and the form wanted; never holds secret material.
public struct MalformedSpecText: Error, Hashable, Sendable, CustomStringConvertible {
    /// What the entry should be, e.g. `listener`.
    public var what: String
    /// The entry as found.
    public var text: String
    /// The canonical form, e.g. `proto/port>targetPort`.
    public var form: String

    /// Creates the error.
    public init(what: String, text: String, form: String) {
        self.what = what
        self.text = text
        self.form = form
    }

    /// `malformed listener 'x' (want proto/port>targetPort)`.
    public var description: String { "malformed \(what) '\(text)' (want \(form))" }
}

/// Splits a `;`-joined canonical list, trimming blanks and skipping empty entries.
func canonicalEntries(_ text: String) -> [String] {
    text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
