import Foundation

/// The `source-address` critical option: a comma-separated list of CIDR blocks the certificate may be
/// used from, e.g. `10.0.0.0/8,192.0.2.7`. A bare address means that one host.
public struct SourceAddressList: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The blocks, as written (trimmed).
    public let blocks: [String]

    /// Parses and checks every block: a valid IPv4/IPv6 address, an optional prefix length in range,
    /// and no bits set past the prefix (`127.0.0.2/24` is refused: it means `127.0.0.0/24`).
    public init(parsing text: String) throws {
        let blocks = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard !blocks.isEmpty, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw AccessError.invalidSourceAddress(text, problem: "it is empty")
        }
        for block in blocks { try Self.check(block) }
        self.blocks = blocks
    }

    /// The option's value: the blocks joined by commas.
    public var description: String { blocks.joined(separator: ",") }

    /// Decodes the comma-separated form, checking it again.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(parsing: try container.decode(String.self))
    }

    /// Encodes the comma-separated form.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func check(_ block: String) throws {
        let parts = block.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let addressText = parts.first, !addressText.isEmpty else {
            throw AccessError.invalidSourceAddress(block, problem: "expected ADDRESS or ADDRESS/PREFIX")
        }
        var address = [UInt8](repeating: 0, count: 16)
        let width: Int
        if inet_pton(AF_INET, String(addressText), &address) == 1 {
            width = 32
        } else if inet_pton(AF_INET6, String(addressText), &address) == 1 {
            width = 128
        } else {
            throw AccessError.invalidSourceAddress(block, problem: "`\(addressText)` is not an IPv4 or IPv6 address")
        }
        guard parts.count == 2 else { return }
        guard let prefix = Int(parts[1]), parts[1].allSatisfy(\.isNumber), (0...width).contains(prefix) else {
            throw AccessError.invalidSourceAddress(block, problem: "the prefix length must be 0–\(width)")
        }
        for bit in prefix..<width where address[bit / 8] & (0x80 >> UInt8(bit % 8)) != 0 {
            throw AccessError.invalidSourceAddress(block, problem: "bits are set past /\(prefix)")
        }
    }
}
