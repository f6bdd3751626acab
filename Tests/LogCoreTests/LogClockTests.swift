import Foundation
import LogCore
import Testing

@Suite struct LogClockTests {
    /// The hand-rolled calendar maths against Foundation's, across leap days, century rules and eras.
    @Test(arguments: [
        UInt64(0), 951_782_400_000, 951_868_799_999, 1_709_164_800_000, 4_107_542_400_000, 1_782_864_000_000,
        253_402_300_799_000,
    ])
    func rfc3339MatchesFoundation(_ milliseconds: UInt64) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let expected = formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds / 1000)))
        #expect(LogClock.rfc3339(milliseconds: milliseconds) == expected)
    }

    @Test func everyDayOfFourCenturiesMatches() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        for day in stride(from: UInt64(0), to: 146_097 * 2, by: 7) {
            let seconds = day * 86_400 + day % 86_400
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
            if LogClock.rfc3339(milliseconds: seconds * 1000) != expected {
                Issue.record("day \(day): \(LogClock.rfc3339(milliseconds: seconds * 1000)), want \(expected)")
                return
            }
        }
    }
}
