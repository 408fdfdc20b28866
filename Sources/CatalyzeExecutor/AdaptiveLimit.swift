/// How many actions the executor keeps in flight, adapting to the cloud's throttling.
///
/// The rule: it starts at `ceiling` (the `--parallelism` asked for). A throttled action halves it
/// (rounding down, never below 1) and starts the count of successes anew; every fifth success
/// since the last throttle adds one back, up to `ceiling`. Halving at once and creeping back
/// slowly is TCP's answer to congestion: the cloud's rate limit is shared with whatever else
/// calls the account, so the room found after a throttle is probed one action at a time.
struct AdaptiveLimit: Sendable, Equatable {
    /// The most ever allowed.
    let ceiling: Int
    /// The limit now.
    private(set) var current: Int
    /// Successes since the last throttle (or since the last step up).
    private(set) var successes = 0
    /// Successes that earn one more action in flight.
    static let successesPerStep = 5

    /// A limit of `ceiling` (at least 1).
    init(ceiling: Int) {
        self.ceiling = max(1, ceiling)
        current = self.ceiling
    }

    /// The cloud throttled an action: halve.
    mutating func throttled() {
        current = max(1, current / 2)
        successes = 0
    }

    /// An action finished: every `successesPerStep`-th success below the ceiling adds one.
    mutating func succeeded() {
        successes += 1
        if current < ceiling && successes >= Self.successesPerStep {
            current += 1
            successes = 0
        }
    }
}
