import Foundation
import LogCore
import Synchronization

/// The `Date` header's IMF-fixdate (RFC 9110 section 5.6.7), formatted once a second.
///
/// Owner: `latest`'s mutex, held only to read or replace the pair.
enum HTTPDate {
    private static let latest = Mutex<(second: Int, text: String)>((-1, ""))
    private static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static var now: String {
        let second = Int(Date().timeIntervalSince1970)
        if let text = latest.withLock({ $0.second == second ? $0.text : nil }) { return text }
        let text = format(unixSeconds: second)
        latest.withLock { $0 = (second, text) }
        return text
    }

    /// `unixSeconds` (at or after 1970) as `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func format(unixSeconds: Int) -> String {
        let date = LogClock.civilDate(unixSeconds: Int64(unixSeconds))
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let second = date.secondOfDay
        return "\(days[Int(date.daysSinceEpoch % 7)]), \(two(date.day)) \(months[Int(date.month) - 1]) \(date.year) "
            + "\(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60)) GMT"
    }
}
