/// A certificate serial number. Encoded in JSON as a decimal string, because JSON readers such as
/// `jq` keep only 53 bits of a number.
///
/// Serials are drawn at random (64 bits, never 0, never reused within the registry) rather than counted:
/// a counter leaks how many grants a pod has had and collides when two copies of the registry grant
/// independently; a KRL entry is per serial either way.
public struct CertificateSerial: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    /// The number.
    public let value: UInt64

    /// Wraps a number.
    public init(_ value: UInt64) { self.value = value }

    /// Parses a decimal number; nil when malformed or 0 (OpenSSH cannot revoke serial 0).
    public init?(parsing text: String) {
        guard let value = UInt64(text), value != 0 else { return nil }
        self.value = value
    }

    /// The decimal number.
    public var description: String { String(value) }

    /// Numeric order.
    public static func < (lhs: CertificateSerial, rhs: CertificateSerial) -> Bool { lhs.value < rhs.value }

    /// Decodes the decimal string form.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = CertificateSerial(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "malformed serial '\(text)'")
        }
        self = parsed
    }

    /// Encodes the decimal string form.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
