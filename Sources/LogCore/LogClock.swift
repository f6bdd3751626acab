#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Time as the log sees it, injected so tests control it: the wall clock that
/// stamps SCTs and tree heads, and the sleep that paces the sequencer.
///
/// The wall clock may step backwards (NTP); the sequencer never lets a tree head
/// timestamp go backwards whatever `now` returns.
public struct LogClock: Sendable {
    /// Milliseconds since the Unix epoch.
    public var now: @Sendable () -> UInt64
    /// Suspends the caller for about `duration`; throws when the task is cancelled.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(now: @escaping @Sendable () -> UInt64, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.now = now
        self.sleep = sleep
    }

    /// The system's real-time clock and a monotonic sleep.
    public static let system = LogClock(
        now: {
            var spec = timespec()
            clock_gettime(CLOCK_REALTIME, &spec)
            return UInt64(spec.tv_sec) * 1000 + UInt64(spec.tv_nsec) / 1_000_000
        },
        sleep: { try await Task.sleep(for: $0) }
    )
}

extension LogClock {
    /// `milliseconds` since the Unix epoch as an RFC 3339 UTC date-time to the second,
    /// e.g. `2026-07-01T00:00:00Z`, for messages and logs.
    public static func rfc3339(milliseconds: UInt64) -> String {
        let date = civilDate(unixSeconds: Int64(milliseconds / 1000))
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let second = date.secondOfDay
        return "\(date.year)-\(two(date.month))-\(two(date.day))T\(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60))Z"
    }

    /// The proleptic Gregorian UTC date of `seconds` since the Unix epoch (at or after it), with
    /// the days since 1970-01-01 and the second of that day.
    public static func civilDate(unixSeconds seconds: Int64) -> (year: Int64, month: Int64, day: Int64, daysSinceEpoch: Int64, secondOfDay: Int64) {
        let (days, secondOfDay) = (seconds / 86_400, seconds % 86_400)
        // Days since 1970-01-01 to a proleptic Gregorian date, counting in 400-year eras from 0000-03-01.
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, days, secondOfDay)
    }
}
