import Foundation
import LogCore
@testable import LogStorage
import NIOPosix
import Synchronization
import Testing

/// Concurrent dedup lookups share pool jobs, each still gets its own answer, and a stopped
/// pool fails them instead of leaving them waiting.
@Suite struct CoalescedReadsTests {
    /// A read that holds its first call until released, so that later callers queue up.
    final class Gate: Sendable {
        let released = Atomic<Bool>(false)
        let reads = Atomic<Int>(0)

        func read(_ key: [UInt8]) throws -> Int? {
            if reads.add(1, ordering: .relaxed).newValue == 1 {
                while !released.load(ordering: .acquiring) { usleep(1_000) }
            }
            guard key.first != 0xFF else { throw StorageError(.corrupted, "key \(key) is unreadable") }
            return key.first.map(Int.init).flatMap { $0 % 3 == 0 ? nil : $0 * 10 }
        }
    }

    @Test func waitingReadsShareOneJobAndKeepTheirOwnAnswers() async throws {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        let gate = Gate()
        let reads = CoalescedReads<[UInt8], Int?>(threadPool: pool) { try gate.read($0) }
        try await withThrowingTaskGroup(of: (UInt8, Result<Int?, StorageError>).self) { group in
            for key in UInt8(0)..<61 {
                group.addTask {
                    do {
                        return (key, .success(try await reads.value(for: [key == 60 ? 0xFF : key])))
                    } catch let error as StorageError {
                        return (key, .failure(error))
                    }
                }
            }
            // All but the first are queued behind the held read; one job then serves them.
            while reads.queued < 60 { try await Task.sleep(for: .milliseconds(1)) }
            gate.released.store(true, ordering: .releasing)
            for try await (key, result) in group {
                switch result {
                case .success(let value):
                    #expect(key < 60 && value == (key % 3 == 0 ? nil : Int(key) * 10), "key \(key)")
                case .failure(let error):
                    #expect(key == 60 && error.code == .corrupted, "key \(key)")
                }
            }
        }
        #expect(reads.jobsStarted.load(ordering: .relaxed) == 1)
        #expect(try await reads.value(for: [4]) == 40)
        #expect(reads.jobsStarted.load(ordering: .relaxed) == 2, "an idle reader starts a new job")
        try await pool.shutdownGracefully()
    }

    @Test func aStoppedPoolFailsTheReads() async throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        try await pool.shutdownGracefully()
        let reads = CoalescedReads<[UInt8], Int?>(threadPool: pool) { _ in 1 }
        await #expect(throws: NIOThreadPoolError.ThreadPoolInactive.self) { try await reads.value(for: [1]) }
    }
}
