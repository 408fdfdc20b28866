/// Fixed-point rendering of numbers for tables and messages (no Foundation, no locale).
enum Fixed {
    /// `value` rounded half away from zero to `decimals` places, e.g. `0.600`, `-0.070`.
    static func format(_ value: Double, decimals: Int = 3) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { return "\(value)" }
        let whole = Int(scaled)
        let factor = Int(scale)
        let intPart = whole / factor
        let fracPart = whole % factor
        let negative = value < 0 && whole != 0
        var text = (negative ? "-" : "") + "\(intPart)"
        if decimals > 0 {
            let digits = String(fracPart)
            text += "." + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return text
    }
}

extension Fixed {
    /// Up to 6 decimals without trailing zeros, e.g. `0.3`, `0.25`, `1`.
    static func trimmed(_ value: Double) -> String {
        var text = format(value, decimals: 6)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
