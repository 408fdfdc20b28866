/// A JSON syntax or schema problem at a byte offset.
struct JSONReadError: Error {
    /// Where, in bytes from the start.
    var offset: Int
    /// What is wrong.
    var reason: String
}

/// A forward-only JSON tokenizer over bytes, for schema-directed decoding (no intermediate tree).
struct JSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The current byte offset.
    private(set) var offset = 0
    /// Where the key last returned by `nextKey` starts.
    private(set) var keyOffset = 0

    /// Reads `bytes`, which must outlive the reader, from `offset`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// The whole input.
    var input: UnsafeBufferPointer<UInt8> { bytes }

    /// A read error at the current offset (or at `at`).
    func error(_ reason: String, at: Int? = nil) -> JSONReadError {
        JSONReadError(offset: at ?? offset, reason: reason)
    }

    private var describeCurrent: String {
        offset < bytes.count ? "'\(Character(Unicode.Scalar(bytes[offset])))'" : "end of file"
    }

    /// Skips whitespace; returns the next byte without consuming it (nil at the end).
    mutating func peek() -> UInt8? {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return bytes[offset]
            }
        }
        return nil
    }

    /// Consumes `byte` (after whitespace) or throws.
    mutating func expect(_ byte: UInt8) throws(JSONReadError) {
        guard peek() == byte else {
            throw error("expected '\(Character(Unicode.Scalar(byte)))', found \(describeCurrent)")
        }
        offset += 1
    }

    /// Checks that only whitespace remains.
    mutating func expectEnd() throws(JSONReadError) {
        guard peek() == nil else { throw error("unexpected \(describeCurrent) after the document") }
    }

    /// Iterates an object's keys: call with `first = true` after `{`; nil at `}`.
    mutating func nextKey(first: inout Bool) throws(JSONReadError) -> String? {
        if peek() == UInt8(ascii: "}") { offset += 1; return nil }
        if !first { try expect(UInt8(ascii: ",")) }
        first = false
        _ = peek()
        keyOffset = offset
        let key = try string()
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// Iterates an array's elements: call with `first = true` after `[`; false at `]`.
    mutating func nextElement(first: inout Bool) throws(JSONReadError) -> Bool {
        if peek() == UInt8(ascii: "]") { offset += 1; return false }
        if !first { try expect(UInt8(ascii: ",")) }
        first = false
        return true
    }

    /// Whether the next tokens are `,` and then a value starting exactly at `offset` (nothing is
    /// consumed): the reader stands at the end of an array element just before that one.
    func isBeforeElement(at target: Int) -> Bool {
        var index = offset
        while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return false }
        index += 1
        while index < bytes.count, index < target, Self.isWhitespace(bytes[index]) { index += 1 }
        return index == target
    }

    /// Moves to `target` (a position `isBeforeElement` confirmed).
    mutating func move(to target: Int) { offset = target }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Reads an integer (no fraction or exponent).
    mutating func int() throws(JSONReadError) -> Int {
        _ = peek()
        let start = offset
        var negative = false
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { negative = true; offset += 1 }
        var value = 0
        var digits = 0
        while offset < bytes.count, bytes[offset] >= 0x30, bytes[offset] <= 0x39 {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int(bytes[offset] - 0x30))
            guard !o1, !o2 else { offset = start; throw error("integer out of range") }
            value = sum
            digits += 1
            offset += 1
        }
        guard digits > 0 else { offset = start; throw error("expected an integer, found \(describeCurrent)") }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") || bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset = start
            throw error("expected an integer, found a fractional number")
        }
        return negative ? -value : value
    }

    /// Reads a string.
    mutating func string() throws(JSONReadError) -> String {
        guard peek() == 0x22 else { throw error("expected a string, found \(describeCurrent)") }
        let start = offset + 1
        var index = start
        var union: UInt8 = 0  // every byte OR-ed: below 0x80 means ASCII, which needs no UTF-8 check
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 {
                let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
                offset = index + 1
                if union < 0x80 { return String(decoding: text, as: UTF8.self) }
                guard let text = String(validating: text, as: UTF8.self) else {
                    offset = start - 1
                    throw error("string is not valid UTF-8")
                }
                return text
            }
            if byte == 0x5C { return try escapedString(from: start, plainUpTo: index) }
            if byte < 0x20 { offset = index; throw error("control character in a string") }
            union |= byte
            index += 1
        }
        throw error("unterminated string")
    }

    /// Reads a string that is ASCII without escapes as its bytes (between the quotes); nil, with
    /// nothing consumed, for any other value (read it with `string()`).
    mutating func plainASCIIString() -> UnsafeBufferPointer<UInt8>? {
        guard peek() == 0x22 else { return nil }
        var index = offset + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 {
                defer { offset = index + 1 }
                return UnsafeBufferPointer(rebasing: bytes[offset + 1..<index])
            }
            guard byte >= 0x20, byte < 0x80, byte != 0x5C else { return nil }
            index += 1
        }
        return nil
    }

    /// Skips a string without building it (escapes and control characters still checked).
    mutating func skipString() throws(JSONReadError) {
        guard peek() == 0x22 else { throw error("expected a string, found \(describeCurrent)") }
        var index = offset + 1
        while index < bytes.count {
            switch bytes[index] {
            case 0x22: offset = index + 1; return
            case 0x5C: index += 2
            case 0..<0x20: offset = index; throw error("control character in a string")
            default: index += 1
            }
        }
        throw error("unterminated string")
    }

    private mutating func escapedString(from start: Int, plainUpTo plainEnd: Int) throws(JSONReadError) -> String {
        var scratch = Array(UnsafeBufferPointer(rebasing: bytes[start..<plainEnd]))
        offset = plainEnd
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case 0x22:
                offset += 1
                guard let text = String(validating: scratch, as: UTF8.self) else {
                    throw error("string is not valid UTF-8")
                }
                return text
            case 0x5C:
                guard offset + 1 < bytes.count else { throw error("unterminated string") }
                let code = bytes[offset + 1]
                offset += 2
                switch code {
                case 0x22, 0x5C, 0x2F: scratch.append(code)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "u"): scratch.append(contentsOf: try unicodeEscape())
                default: offset -= 2; throw error("invalid escape in a string")
                }
            case 0..<0x20:
                throw error("control character in a string")
            default:
                scratch.append(byte)
                offset += 1
            }
        }
        throw error("unterminated string")
    }

    /// After `\u`: four hex digits, and a low surrogate's `\uXXXX` when the first is a high one.
    private mutating func unicodeEscape() throws(JSONReadError) -> [UInt8] {
        func hex4(_ reader: inout JSONReader) throws(JSONReadError) -> UInt32 {
            guard reader.offset + 4 <= reader.bytes.count else { throw reader.error("truncated \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let c = reader.bytes[reader.offset]
                let digit: UInt32
                switch c {
                case 0x30...0x39: digit = UInt32(c - 0x30)
                case 0x41...0x46: digit = UInt32(c - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(c - 0x61 + 10)
                default: throw reader.error("invalid \\u escape")
                }
                value = value << 4 | digit
                reader.offset += 1
            }
            return value
        }
        var scalar = try hex4(&self)
        if (0xD800...0xDBFF).contains(scalar) {
            guard offset + 2 <= bytes.count, bytes[offset] == 0x5C, bytes[offset + 1] == UInt8(ascii: "u") else {
                throw error("unpaired surrogate in \\u escape")
            }
            offset += 2
            let low = try hex4(&self)
            guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate in \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw error("unpaired surrogate in \\u escape") }
        return Array(String(Character(unicode)).utf8)
    }

    /// Skips one value of any type.
    mutating func skipValue() throws(JSONReadError) {
        switch peek() {
        case 0x22:
            try skipString()
        case UInt8(ascii: "{"):
            offset += 1
            var first = true
            while try nextKey(first: &first) != nil { try skipValue() }
        case UInt8(ascii: "["):
            offset += 1
            var first = true
            while try nextElement(first: &first) { try skipValue() }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), .some(0x30...0x39):
            while offset < bytes.count, Self.isNumberByte(bytes[offset]) { offset += 1 }
        default:
            throw error("expected a value, found \(describeCurrent)")
        }
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): true
        default: false
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONReadError) {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count,
              word.withUTF8Buffer({ $0.elementsEqual(UnsafeBufferPointer(rebasing: bytes[offset..<offset + count])) })
        else { throw error("expected a value, found \(describeCurrent)") }
        offset += count
    }

    /// 1-based line and column (in characters) of a byte offset.
    func position(of target: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(target, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<min(target, bytes.count)]),
                            as: UTF8.self).count + 1
        return (line, column)
    }
}
