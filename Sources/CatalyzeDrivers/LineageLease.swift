import Foundation

/// The cloud-side sign that an apply of one lineage is running: the lockfile's lock lives on one
/// machine, so another folder (another lineage) cannot see it; this lease, written as the
/// `catalyze:lease` tag on each region's firewall while an apply runs, is what `import
/// --from-lineage` checks before taking that lineage's resources over.
///
/// Its tag value is `<expiry, seconds since 1970> <holder>` (the holder last, as it may hold
/// spaces): one encoder (`tagValue`) and one parser (`init(tagValue:lineage:)`). The lease's lineage
/// is its carrier's own `catalyze:lineage` (only that lineage's apply writes it), so the value stays
/// short enough for a Neutron description (255 characters, shared with catalyze's other tags). An
/// apply writes it at its start with `LineageLease.duration` to run, writes it again every
/// `renewEvery`, and removes it at the end; a killed apply leaves it to expire on its own.
public struct LineageLease: Hashable, Sendable, Codable {
    /// The lineage of the lockfile whose apply holds it.
    public var lineage: String
    /// Who holds it: `user@host pid N` (never a secret).
    public var holder: String
    /// When it runs out unless written again.
    public var expires: Date

    /// How long a lease runs before it must be renewed.
    public static let duration: TimeInterval = 600
    /// How often a running apply renews its lease.
    public static let renewEvery: TimeInterval = 180

    /// Creates a lease.
    public init(lineage: String, holder: String, expires: Date) {
        self.lineage = lineage
        self.holder = holder
        self.expires = Date(timeIntervalSince1970: expires.timeIntervalSince1970.rounded(.down))
    }

    /// The tag value: `<expiry epoch seconds> <holder>` (AWS tag values allow letters, digits,
    /// spaces and `_.:/=+-@`; the holder is cleaned and cut to 32 characters).
    public var tagValue: String {
        let allowed = Set("_.:/=+-@ ")
        let cleaned = String(holder.map { $0.isASCII && ($0.isLetter || $0.isNumber || allowed.contains($0)) ? $0 : "-" }.prefix(32))
        return "\(Int(expires.timeIntervalSince1970)) \(cleaned)"
    }

    /// Parses a tag value written by `tagValue` on a resource of `lineage`; nil for anything else.
    public init?(tagValue: String, lineage: String) {
        let parts = tagValue.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !lineage.isEmpty, let seconds = Int(parts[0]) else { return nil }
        self.init(lineage: lineage, holder: String(parts[1]), expires: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// True while it has not run out at `now`.
    public func isFresh(at now: Date) -> Bool { expires > now }
}
