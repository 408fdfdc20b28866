/// A byte count written with a binary or decimal unit: `100GiB`, `512MiB`, `1TB`.
public struct ByteSize: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    /// The size in bytes.
    public var bytes: UInt64

    /// Creates a size from a byte count.
    public init(bytes: UInt64) { self.bytes = bytes }

    private static let units: [(String, UInt64)] = [
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40),
        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000),
        ("B", 1),
    ]

    /// The units accepted, for error messages.
    public static let acceptedUnits = "B, KiB, MiB, GiB, TiB, KB, MB, GB, TB"

    /// Parses `<integer><unit>`; the unit is required. Nil when malformed or overflowing.
    public init?(parsing text: String) {
        let trimmed = text.trimmingSpaces
        guard let unit = Self.units.first(where: { trimmed.hasSuffix($0.0) }) else { return nil }
        let number = trimmed.dropLast(unit.0.count).trimmingSpaces
        guard !number.isEmpty, number.allSatisfy(\.isASCIIDigit), let value = UInt64(number) else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: unit.1)
        guard !overflow else { return nil }
        self.bytes = product
    }

    /// Whole gibibytes, rounded up (what block-storage APIs take).
    public var gibibytesRoundedUp: Int { Int((bytes + (1 << 30) - 1) >> 30) }

    /// Whole mebibytes, rounded down.
    public var mebibytes: Int { Int(bytes >> 20) }

    /// The shortest exact binary rendering, e.g. `100GiB`.
    public var description: String {
        for (unit, factor) in [("TiB", UInt64(1) << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        where bytes >= factor && bytes % factor == 0 {
            return "\(bytes / factor)\(unit)"
        }
        return "\(bytes)B"
    }

    /// Orders by byte count.
    public static func < (lhs: ByteSize, rhs: ByteSize) -> Bool { lhs.bytes < rhs.bytes }
}

/// A span of time written with units: `90s`, `15m`, `2h`, `1h30m`, `7d`.
public struct TimeSpan: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    /// Whole seconds.
    public var seconds: Int

    /// Creates a span.
    public init(seconds: Int) { self.seconds = seconds }

    /// Parses one or more `<integer><unit>` groups, units `s`, `m`, `h`, `d`, largest first.
    public init?(parsing text: String) {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { return nil }
        var total = 0
        var digits = ""
        var lastRank = Int.max
        for ch in trimmed {
            if ch.isASCIIDigit {
                digits.append(ch)
                continue
            }
            let (factor, rank): (Int, Int)
            switch ch {
            case "d": (factor, rank) = (86_400, 3)
            case "h": (factor, rank) = (3_600, 2)
            case "m": (factor, rank) = (60, 1)
            case "s": (factor, rank) = (1, 0)
            default: return nil
            }
            guard !digits.isEmpty, rank < lastRank, let value = Int(digits) else { return nil }
            let (part, o1) = value.multipliedReportingOverflow(by: factor)
            let (sum, o2) = total.addingReportingOverflow(part)
            guard !o1, !o2 else { return nil }
            total = sum
            digits = ""
            lastRank = rank
        }
        guard digits.isEmpty else { return nil }
        self.seconds = total
    }

    /// Compact rendering, e.g. `1h30m`, `45s`, `0s`.
    public var description: String {
        if seconds == 0 { return "0s" }
        var rest = seconds
        var text = ""
        for (unit, factor) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= factor {
            text += "\(rest / factor)\(unit)"
            rest %= factor
        }
        return text
    }

    /// Orders by length.
    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.seconds < rhs.seconds }
}

extension Character {
    /// `0`–`9` only (not other Unicode digits).
    public var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension StringProtocol {
    /// Drops leading and trailing spaces and tabs (no Foundation needed).
    public var trimmingSpaces: String {
        var scalars = Substring(self)
        while let f = scalars.first, f == " " || f == "\t" { scalars = scalars.dropFirst() }
        while let l = scalars.last, l == " " || l == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
