import Foundation

/// The source of "now". Library code takes one instead of calling `Date()`.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The real clock.
public struct SystemClock: WallClock {
    /// Creates the real clock.
    public init() {}
    /// `Date()`.
    public func now() -> Date { Date() }
}

/// A clock that always answers the same instant (tests, reproducible plans).
public struct FixedClock: WallClock {
    /// The instant it answers.
    public var instant: Date
    /// Creates a fixed clock.
    public init(_ instant: Date) { self.instant = instant }
    /// `instant`.
    public func now() -> Date { instant }
}
