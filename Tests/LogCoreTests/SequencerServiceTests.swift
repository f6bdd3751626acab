import Foundation
import LogCore
import LogFormat
import Merkle
import PKI
import Synchronization
import Testing
import TestSupport

/// The sequencer service on a real clock: an idle log waits for its next submission (or its
/// tree head's refresh) instead of waking every sequence interval, and still logs a submission
/// within an interval or so of its arrival.
@Suite struct SequencerServiceTests {
    /// The wall clock, keeping the sleeps the service asks for. Tests running beside these
    /// can delay any wake-up, so they count sleeps by length, not against the time that passed.
    final class CountingClock: Sendable {
        private let sleeps = Mutex<[Duration]>([])
        let interval: Duration

        init(interval: Duration) { self.interval = interval }

        /// Sleeps of one sequence interval, and sleeps (waits for an arrival) longer than five.
        var counts: (intervals: Int, waits: Int) {
            sleeps.withLock { all in (all.filter { $0 == interval }.count, all.filter { $0 > interval * 5 }.count) }
        }

        /// Waits until the service has begun `count` waits, up to a minute.
        func untilWaits(_ count: Int) async throws {
            let deadline = ContinuousClock.now + .seconds(60)
            while counts.waits < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        }

        var logClock: LogClock {
            LogClock(now: { UInt64(Date().timeIntervalSince1970 * 1000) }, sleep: { duration in
                self.sleeps.withLock { $0.append(duration) }
                try await Task.sleep(for: duration)
            })
        }
    }

    private static func openLog(interval: Duration, refresh: Duration, clock: LogClock,
                                storage: MemoryStorage = MemoryStorage(), key: SigningKey? = nil) async throws -> (Log, TestCA) {
        let ca = try TestCA.shared()
        let configuration = LogConfiguration(
            signingKey: try key ?? SigningKey.generateP256(), roots: try Certificate.fromPEM(ca.rootPEM),
            sequenceInterval: interval, treeHeadRefresh: refresh)
        return (try await Log.open(configuration: configuration, storage: storage, clock: clock), ca)
    }

    /// Runs the service while `body` runs, then cancels it, which must end it promptly even
    /// while it waits for a submission.
    private static func whileServing(_ log: Log, clock: LogClock, _ body: () async throws -> Void) async throws {
        let service = Task { try await SequencerService(log: log, clock: clock).run() }
        do {
            try await body()
        } catch {
            service.cancel()
            throw error
        }
        service.cancel()
        let ended = Task {
            try? await Task.sleep(for: .seconds(10))
            return false
        }
        let stopped = await withTaskGroup(of: Bool.self) { group in
            group.addTask { _ = try? await service.value; return true }
            group.addTask { await ended.value }
            let first = await group.next() ?? false
            group.cancelAll()
            ended.cancel()
            return first
        }
        #expect(stopped, "the service did not end within 10 s of being cancelled")
    }

    @Test func anIdleLogSleepsUntilASubmissionArrives() async throws {
        let clock = CountingClock(interval: .milliseconds(10))
        // A refresh far off, so only the arrival can wake the sequencer in time.
        let (log, ca) = try await Self.openLog(interval: .milliseconds(10), refresh: .seconds(120), clock: clock.logClock)
        try await Self.whileServing(log, clock: clock.logClock) {
            try await clock.untilWaits(1)
            try await Task.sleep(for: .milliseconds(600))
            // Waking every interval would be about 60 sleeps of 10 ms; an idle log sleeps one
            // interval after its first step and then waits.
            let idle = clock.counts
            #expect(idle.waits == 1 && idle.intervals <= 2, "an idle log slept \(idle.intervals) intervals and waited \(idle.waits) times")

            let started = ContinuousClock.now
            let sct = try await log.submit(chain: try ca.chain(), as: .certificate)
            let took = ContinuousClock.now - started
            #expect(took < .seconds(30), "a submission to an idle log took \(took)")
            #expect(log.treeHead.treeSize == 1 && sct.timestamp <= log.treeHead.timestamp)
        }
    }

    @Test func anIdleLogStillSignsItsTreeHeadEachRefresh() async throws {
        let clock = CountingClock(interval: .milliseconds(10))
        let (log, _) = try await Self.openLog(interval: .milliseconds(10), refresh: .milliseconds(200), clock: clock.logClock)
        let first = log.treeHead.timestamp
        let started = ContinuousClock.now
        try await Self.whileServing(log, clock: clock.logClock) {
            try await clock.untilWaits(4)
        }
        let elapsed = ContinuousClock.now - started
        // Each refresh is a wait and then an interval's sleep before the step that signs: the
        // head keeps being signed anew, three times in the 600 ms or more of three waits, with
        // a sleep of one interval for each where waking every interval would take 60 or more.
        let advanced = log.treeHead.timestamp - first
        #expect(advanced >= 600 && Duration.milliseconds(Int64(advanced)) <= elapsed + .milliseconds(100),
                "the idle tree head's timestamp moved \(advanced) ms in \(elapsed)")
        let idle = clock.counts
        #expect(idle.waits >= 4 && idle.intervals <= idle.waits + 2, "an idle log slept \(idle.intervals) intervals and waited \(idle.waits) times")
    }

    /// Submissions arriving while the sequencer waits are all logged, in one or a few batches,
    /// and the whole log checks out.
    @Test func submissionsArrivingTogetherAfterAQuietSpellAreAllLogged() async throws {
        let clock = CountingClock(interval: .milliseconds(10)), storage = MemoryStorage(), key = try SigningKey.generateP256()
        let (log, ca) = try await Self.openLog(interval: .milliseconds(10), refresh: .seconds(60), clock: clock.logClock,
                                               storage: storage, key: key)
        try await Self.whileServing(log, clock: clock.logClock) {
            try await Task.sleep(for: .milliseconds(100))
            let chains = try (0..<20).map { _ in try ca.chain() }
            let scts = try await withThrowingTaskGroup(of: SignedCertificateTimestamp.self) { group in
                for chain in chains { group.addTask { try await log.submit(chain: chain, as: .certificate) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(scts.count == 20 && log.treeHead.treeSize == 20)
        }
        let report = try await LogChecker(storage: storage, publicKey: key.publicKey).run()
        #expect(report.problems == [] && report.treeSize == 20)
    }
}
