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
