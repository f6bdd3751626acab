import Foundation
import LogCore
import LogFormat
@testable import LogHTTP
import Synchronization
import Testing
import TestSupport

/// get-entries answers are written from the entries' bytes, and at most a few are built at once.
@Suite struct EntriesBodyTests {
    @Test func writesWhatJSONEncoderWritesForTheSameEntries() throws {
        var random = SeededRandom(seed: 6962)
        for count in [0, 1, 2, 3, 256] {
            let entries = (0..<count).map { index in
                LogEntry(leafInput: (0..<(index % 7 + 40)).map { _ in UInt8.random(in: 0...255, using: &random) },
                         extraData: (0..<(index % 5)).map { _ in UInt8.random(in: 0...255, using: &random) })
            }
            let body = EntriesBody(entries: entries)
            let written = body.jsonBytes(capacity: body.byteCount)
            #expect(written.count <= body.byteCount, "\(count) entries: \(written.count) bytes, more than estimated")
            let decoded = try JSONDecoder().decode(GetEntriesResponse.self, from: Data(written))
            #expect(decoded == GetEntriesResponse(entries: entries.map {
                GetEntriesResponse.Entry(leafInput: $0.leafInput, extraData: $0.extraData)
            }))
        }
    }

    /// How many bodies run now, and the most that ever ran at once.
    final class Gauge: Sendable {
        let running = Atomic<Int>(0)
        let most = Atomic<Int>(0)
    }

    @Test func noMoreThanTheLimitRunAtOnceAndAllFinish() async throws {
        let limit = ConcurrencyLimit(limit: 3)
        let gauge = Gauge()
        let finished = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<40 {
                group.addTask {
                    try await limit.run {
                        let now = gauge.running.add(1, ordering: .relaxed).newValue
                        gauge.most.max(now, ordering: .relaxed)
                        try await Task.sleep(for: .milliseconds(2))
                        gauge.running.subtract(1, ordering: .relaxed)
                        return task
                    }
                }
            }
            var finished: [Int] = []
            for try await task in group { finished.append(task) }
            return finished
        }
        #expect(finished.sorted() == Array(0..<40))
        #expect(gauge.most.load(ordering: .relaxed) == 3)
        #expect(gauge.running.load(ordering: .relaxed) == 0)
    }
}
