import Foundation

/// Builds byte strings in the SSH wire encoding (RFC 4251 §5): big-endian integers, length-prefixed strings.
public struct SSHWireWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty writer.
    public init() {}

    /// Appends one byte.
    public mutating func byte(_ value: UInt8) { bytes.append(value) }

    /// Appends a `boolean` (one byte, 0 or 1).
    public mutating func boolean(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Appends a big-endian `uint32`.
    public mutating func uint32(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    /// Appends a big-endian `uint64`.
    public mutating func uint64(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// Appends a `string`: a `uint32` length, then the bytes.
    public mutating func string(_ value: some Collection<UInt8>) {
        uint32(UInt32(value.count))
        bytes.append(contentsOf: value)
    }

    /// Appends a UTF-8 `string`.
    public mutating func string(_ value: String) { string(Array(value.utf8)) }

    /// Appends raw bytes with no length prefix.
    public mutating func raw(_ value: some Collection<UInt8>) { bytes.append(contentsOf: value) }
}

/// Reads the SSH wire encoding; every read throws `SSHWireError.truncated` past the end.
public struct SSHWireReader: Sendable {
    private let bytes: [UInt8]
    private var offset = 0

    /// Creates a reader over `bytes`.
    public init(_ bytes: some Collection<UInt8>) { self.bytes = Array(bytes) }

    /// True when every byte has been read.
    public var isAtEnd: Bool { offset == bytes.count }

    /// The bytes not read yet.
    public var remaining: [UInt8] { Array(bytes[offset...]) }

    /// Reads one byte.
    public mutating func byte() throws -> UInt8 { try take(1)[0] }

    /// Reads a `boolean`.
    public mutating func boolean() throws -> Bool { try byte() != 0 }

    /// Reads a big-endian `uint32`.
    public mutating func uint32() throws -> UInt32 {
        try take(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    /// Reads a big-endian `uint64`.
    public mutating func uint64() throws -> UInt64 {
        try take(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// Reads a length-prefixed `string` as bytes.
    public mutating func string() throws -> [UInt8] {
        let count = Int(try uint32())
        return try take(count)
    }

    /// Reads a length-prefixed UTF-8 `string`.
    public mutating func text() throws -> String {
        guard let text = String(validating: try string(), as: UTF8.self) else { throw SSHWireError.notUTF8 }
        return text
    }

    /// Reads `count` raw bytes.
    public mutating func take(_ count: Int) throws -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw SSHWireError.truncated }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }
}

/// A malformed SSH wire encoding.
public enum SSHWireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The data ended inside a field.
    case truncated
    /// A text field was not valid UTF-8.
    case notUTF8

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .truncated: "the data ends inside a field"
        case .notUTF8: "a text field is not valid UTF-8"
        }
    }
}
