/// An IPv4 CIDR block, e.g. `10.40.0.0/16`.
public struct CIDR: Hashable, Sendable, CustomStringConvertible {
    /// The address as four octets.
    public var octets: [UInt8]
    /// Prefix length, 0–32.
    public var prefix: Int

    /// Parses `a.b.c.d/n`. Nil when malformed, or when host bits are set (`10.0.0.1/16`).
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), (0...32).contains(prefix),
              parts[1].allSatisfy(\.isASCIIDigit),
              let octets = CIDR.parseIPv4(String(parts[0]))
        else { return nil }
        let value = octets.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix)
        guard value & ~mask == 0 else { return nil }
        self.octets = octets
        self.prefix = prefix
    }

    /// Parses a dotted-quad IPv4 address.
    public static func parseIPv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCIIDigit), let value = UInt8(part),
                  part.count == 1 || part.first != "0"
            else { return nil }
            octets.append(value)
        }
        return octets
    }

    /// The numeric value of the network address.
    public var value: UInt32 { octets.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }

    /// True when `other` lies wholly inside this block.
    public func contains(_ other: CIDR) -> Bool {
        guard other.prefix >= prefix else { return false }
        let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix)
        return other.value & mask == value
    }

    /// The first /24 inside this block (or the block itself when smaller).
    public var firstSubnet: CIDR {
        guard prefix < 24 else { return self }
        var copy = self
        copy.prefix = 24
        return copy
    }

    /// `a.b.c.d/n`.
    public var description: String { octets.map(String.init).joined(separator: ".") + "/\(prefix)" }
}

/// A port or an inclusive range of ports.
public struct PortRange: Hashable, Sendable, CustomStringConvertible {
    /// First port.
    public var from: Int
    /// Last port (= `from` for one port).
    public var to: Int

    /// One port.
    public init(_ port: Int) {
        from = port
        to = port
    }

    /// Parses `443` or `8000-8100`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
              let from = Int(parts[0]), let to = Int(parts.last!),
              (1...65535).contains(from), (1...65535).contains(to), from <= to
        else { return nil }
        self.from = from
        self.to = to
    }

    /// `443` or `8000-8100`.
    public var description: String { from == to ? "\(from)" : "\(from)-\(to)" }
}
