import CatalyzeCore
import CatalyzeModel

/// Appends JSON tokens to a byte buffer: the minimum the lockfile encoder needs, and fast.
struct JSONWriter {
    /// The bytes written so far.
    var bytes: [UInt8] = []

    /// Creates a writer that expects about `capacity` bytes.
    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Appends ASCII text as is.
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends a newline and `depth` levels of two-space indentation.
    mutating func newline(_ depth: Int) {
        bytes.append(0x0A)
        for _ in 0..<depth { bytes.append(0x20); bytes.append(0x20) }
    }

    /// Appends a decimal integer.
    mutating func int(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Appends a quoted, escaped string.
    mutating func string(_ text: String) {
        bytes.append(0x22)
        unquoted(text)
        bytes.append(0x22)
    }

    /// Appends `"region/kind.name"` (as `string(address.description)`, without building it).
    mutating func address(_ address: ResourceAddress) {
        bytes.append(0x22)
        unquoted(address.region)
        bytes.append(UInt8(ascii: "/"))
        unquoted(address.kind.rawValue)
        bytes.append(UInt8(ascii: "."))
        unquoted(address.name)
        bytes.append(0x22)
    }

    /// Appends a string's escaped characters, without quotes.
    private mutating func unquoted(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte == 0x22 || byte == 0x5C || byte < 0x20 else { continue }
                if start < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index])) }
                escape(byte)
                start = index + 1
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        }
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(0x5C)
        switch byte {
        case 0x22: bytes.append(0x22)
        case 0x5C: bytes.append(0x5C)
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }

    /// Appends `{"k": "v", …}` with keys sorted, one per line at `depth + 1` (`{}` when empty).
    mutating func stringMap(_ map: [String: String], depth: Int) {
        guard !map.isEmpty else { raw("{}"); return }
        raw("{")
        var first = true
        for (key, value) in map.sorted(by: { $0.key < $1.key }) {
            if !first { raw(",") }
            first = false
            newline(depth + 1)
            string(key)
            raw(": ")
            string(value)
        }
        newline(depth)
        raw("}")
    }
}
