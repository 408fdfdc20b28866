import Testing
@testable import CatalyzeScheduler

@Suite struct FixedTests {
    @Test func roundsHalfAwayFromZeroWithoutLocale() {
        #expect(Fixed.format(0.6) == "0.600")
        #expect(Fixed.format(0.0705) == "0.071")
        #expect(Fixed.format(-0.07) == "-0.070")
        #expect(Fixed.format(-0.0001) == "0.000")
        #expect(Fixed.format(12.34, decimals: 1) == "12.3")
        #expect(Fixed.format(5, decimals: 0) == "5")
        #expect(Fixed.trimmed(0.3) == "0.3")
        #expect(Fixed.trimmed(0.25) == "0.25")
        #expect(Fixed.trimmed(1) == "1")
    }
}
