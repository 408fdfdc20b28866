import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// A seeded random kill loop: `apply` and `destroy` SIGKILLed at random moments, again and again,
/// each followed by the invariants (the lockfile parses; the kernel lock went with the process),
/// every third one resumed to the end by the same command (an apply must converge with one cloud
/// resource per part and address, a destroy leave nothing, asked of moto directly), and at the end
/// a final `apply` and `destroy` checked the same way.
///
/// The seed is printed; `CATALYZE_KILL_SEED=N scripts/swiftpm test --skip-build --filter KillLoopTests`
/// replays a run (the moments are the same; what was in flight at each moment can differ slightly
/// with the machine's load, the calls' order within a moment being the executor's).
@Suite(.serialized) struct KillLoopTests {
    /// Iterations of the loop: bounded, a second or two each; every third one is resumed to the end.
    static let iterations = 12

    /// The seed: `CATALYZE_KILL_SEED` when set (`random` for a fresh one), else a fixed one, so CI
    /// runs one known sequence. Seeds 99 (a VPN whose delete was killed, then updated in place,
    /// left without its route) and 7 (a balancer whose delete was killed, recreated, its imported
    /// certificate left in ACM) failed before 0.2.0; `KillSweepTests` now kills `destroy` at those
    /// request boundaries deterministically.
    static func seed() -> UInt64 {
        let text = ProcessInfo.processInfo.environment["CATALYZE_KILL_SEED"]
        if text == "random" { return UInt64.random(in: 1...999_999) }
        return text.flatMap(UInt64.init) ?? 424_242
    }

    @Test func applyAndDestroyKilledAtRandomMomentsConverge() async throws {
        let seed = Self.seed()
        print("kill loop seed: \(seed) (replay: CATALYZE_KILL_SEED=\(seed))")
        var random = SplitMix64(seed: seed)
        let kill = try await KillWorkspace.start()
        defer { kill.stop() }
        // 40 ms a call spreads an apply over a few seconds, so a random moment lands mid-flight.
        try await kill.proxy.configure(.init(latencyMs: 40))
        let started = ContinuousClock.now
        for iteration in 1...Self.iterations {
            let recorded = (try kill.store.load()?.resources.count) ?? 0
            let command = recorded > 0 && random.next() % 3 == 0 ? "destroy" : "apply"
            // An apply of this pod through the proxy takes about 2 s: most kills land mid-flight.
            let delay = Duration.milliseconds(Int64(100 + random.next() % 2_000))
            let label = "seed \(seed), iteration \(iteration): \(command) killed after \(delay)"
            let begin = ContinuousClock.now
            // The pod's database volume is encrypted: destroy needs --force-destroy-data.
            let arguments = command == "destroy" ? [command, "--auto-approve", "--force-destroy-data"] : [command, "--auto-approve"]
            let reason = try await kill.throughProxy.killed(arguments) { begin.duration(to: .now) >= delay }
            print("kill loop \(label): \(reason == .uncaughtSignal ? "killed" : "had finished")")
            try await kill.settle()
            // Whole on disk (or not written yet: killed before the first save).
            #expect(throws: Never.self, "\(label): the lockfile parses after the kill") { _ = try kill.store.load() }
            // Every third kill is resumed to the end by the same command, and checked.
            if iteration % 3 == 0 {
                if command == "apply" { try await kill.expectConverged("\(label), resumed") } else { try await kill.expectDestroyed("\(label), resumed") }
            }
        }
        try await kill.expectConverged("seed \(seed), final apply")
        try await kill.expectDestroyed("seed \(seed), final destroy")
        print("kill loop seed \(seed): \(started.duration(to: .now))")
    }
}

/// SplitMix64: a tiny seeded generator, so a seed replays the same moments.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
