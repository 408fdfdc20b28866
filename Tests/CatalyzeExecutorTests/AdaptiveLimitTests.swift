@testable import CatalyzeExecutor
import Testing

@Suite struct AdaptiveLimitTests {
    @Test func startsAtTheCeilingAndNeverGoesAboveIt() {
        var limit = AdaptiveLimit(ceiling: 8)
        #expect(limit.current == 8)
        for _ in 0..<20 { limit.succeeded() }
        #expect(limit.current == 8)
        #expect(AdaptiveLimit(ceiling: 0).current == 1)
    }

    @Test func halvesOnEachThrottleDownToOne() {
        var limit = AdaptiveLimit(ceiling: 10)
        var seen: [Int] = []
        for _ in 0..<5 {
            limit.throttled()
            seen.append(limit.current)
        }
        #expect(seen == [5, 2, 1, 1, 1])
    }

    @Test func everyFifthSuccessSinceTheLastThrottleAddsOne() {
        var limit = AdaptiveLimit(ceiling: 8)
        limit.throttled()
        var seen: [Int] = []
        for _ in 0..<22 {
            limit.succeeded()
            seen.append(limit.current)
        }
        #expect(seen == [4, 4, 4, 4, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 8, 8, 8])
    }

    @Test func aThrottleStartsTheCountOfSuccessesAnew() {
        var limit = AdaptiveLimit(ceiling: 8)
        limit.throttled()  // 4
        for _ in 0..<4 { limit.succeeded() }
        limit.throttled()  // 2, the four successes forgotten
        for _ in 0..<4 { limit.succeeded() }
        #expect(limit.current == 2)
        limit.succeeded()
        #expect(limit.current == 3)
    }
}
