import CatalyzeCore

/// Renders diagnostics the way compilers do, so editors can jump to them.
struct DiagnosticView {
    let terminal: Terminal

    func render(_ diagnostic: Diagnostic) -> String {
        var text = ""
        if let location = diagnostic.location { text += terminal.paint("\(location): ", .bold) }
        switch diagnostic.severity {
        case .error: text += terminal.paint("error:", .red)
        case .warning: text += terminal.paint("warning:", .yellow)
        case .note: text += terminal.paint("note:", .blue)
        }
        text += " \(diagnostic.message)"
        if let hint = diagnostic.hint { text += terminal.paint(" (\(hint))", .dim) }
        return text
    }
}

/// JSON form of one diagnostic.
struct DiagnosticJSON: Encodable {
    let severity: String
    let code: String
    let file: String?
    let line: Int?
    let column: Int?
    let message: String
    let hint: String?

    init(_ d: Diagnostic) {
        severity = d.severity.rawValue
        code = d.code
        file = d.location?.file
        line = d.location?.line
        column = d.location?.column
        message = d.message
        hint = d.hint
    }
}
