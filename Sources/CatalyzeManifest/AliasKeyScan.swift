/// Finds a YAML alias (`*name`) used as a mapping key, before the text is composed.
///
/// Yams checks every mapping for duplicate keys by hashing and comparing the key nodes whole, so an
/// alias of a large aliased structure used as a key (`? *lol9 : x`, a few hundred bytes) makes
/// composing itself take forever, before any value budget can count anything. A pod manifest's
/// keys are plain words, so an alias in key position is refused outright, at its position.
///
/// The scan reads the text once, skipping comments and quoted scalars; it recognises an alias as a
/// key when it follows `?` (an explicit key) or when `:` and a space follow it (an implicit key).
enum AliasKeyScan {
    /// The 1-based line and column of the first alias used as a key, or nil.
    static func firstAliasKey(in text: String) -> (line: Int, column: Int)? {
        let bytes = Array(text.utf8)
        var index = 0, line = 1, lineStart = 0
        var atTokenStart = true  // after whitespace, a flow indicator or the start of a line
        var afterQuestionMark = false

        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        func isBreak(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }
        func isAnchorCharacter(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "_"), UInt8(ascii: "-"): true
            default: false
            }
        }
        func isFlow(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"): true
            default: false
            }
        }

        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                lineStart = index + 1
                atTokenStart = true
                index += 1
                continue
            }
            if isSpace(byte) || byte == 0x0D {
                atTokenStart = true
                index += 1
                continue
            }
            if atTokenStart && byte == UInt8(ascii: "#") {
                while index < bytes.count && !isBreak(bytes[index]) { index += 1 }
                continue
            }
            if atTokenStart && (byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")) {
                // A quoted scalar, possibly over several lines; `\"` escapes in double quotes, `''` in single.
                index += 1
                while index < bytes.count {
                    let inner = bytes[index]
                    if inner == 0x0A { line += 1; lineStart = index + 1 }
                    if byte == UInt8(ascii: "\"") && inner == UInt8(ascii: "\\") { index += 2; continue }
                    if inner == byte {
                        if byte == UInt8(ascii: "'") && index + 1 < bytes.count && bytes[index + 1] == byte { index += 2; continue }
                        break
                    }
                    index += 1
                }
                index += 1
                atTokenStart = false
                afterQuestionMark = false
                continue
            }
            if atTokenStart && byte == UInt8(ascii: "?") && (index + 1 == bytes.count || isSpace(bytes[index + 1]) || isBreak(bytes[index + 1])) {
                afterQuestionMark = true
                index += 1
                continue
            }
            if atTokenStart && byte == UInt8(ascii: "*") {
                let column = index - lineStart + 1
                if afterQuestionMark { return (line, column) }
                var end = index + 1
                // libyaml's anchor names: ASCII letters, digits, '_' and '-' (so `*a8:` is `*a8` and `:`).
                while end < bytes.count && isAnchorCharacter(bytes[end]) { end += 1 }
                var next = end
                while next < bytes.count && isSpace(bytes[next]) { next += 1 }
                if next < bytes.count && bytes[next] == UInt8(ascii: ":")
                    && (next + 1 == bytes.count || isSpace(bytes[next + 1]) || isBreak(bytes[next + 1]) || isFlow(bytes[next + 1])) {
                    return (line, column)
                }
                index = end
                atTokenStart = false
                continue
            }
            atTokenStart = isFlow(byte)
            afterQuestionMark = false
            index += 1
        }
        return nil
    }
}
