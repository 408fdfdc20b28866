@testable import CatalyzeState
import Foundation
import Testing

@Suite struct TimestampTests {
    @Test func formatsUTCWithMilliseconds() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_795_000_000.123)) == "2026-11-18T11:06:40.123Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
    }

    @Test func agreesWithFoundationsFormatter() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for seconds in stride(from: -2_000_000_000.0, to: 4_000_000_000.0, by: 123_456_789.25) {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Timestamp.format(date) == formatter.string(from: date))
            #expect(Timestamp.parse(formatter.string(from: date)) == Timestamp.normalized(date))
        }
    }

    @Test func roundTripsNormalizedDatesExactly() {
        for seconds in [0.0, 1.0005, 1_795_000_000.1234567, 1_795_000_000.9996, 86_399.999] {
            let date = Timestamp.normalized(Date(timeIntervalSince1970: seconds))
            #expect(Timestamp.parse(Timestamp.format(date)) == date)
        }
    }

    @Test func parsesShorterFractionsAndRejectsJunk() {
        #expect(Timestamp.parse("2026-11-18T11:06:40Z") == Date(timeIntervalSince1970: 1_795_000_000))
        #expect(Timestamp.parse("2026-11-18T11:06:40.5Z") == Date(timeIntervalSince1970: 1_795_000_000.5))
        for junk in ["", "2026-11-18", "2026-13-18T07:46:40Z", "2026-11-18T11:06:40.1234Z", "2026-11-18T11:06:40+01:00"] {
            #expect(Timestamp.parse(junk) == nil, "\(junk)")
        }
    }
}
