import Foundation
import LogCore
@testable import LogStorage
import NIOPosix
import Synchronization
import Testing

/// Concurrent reads share pool jobs, each still gets its own answer, other pool work is not
/// starved, and a stopped pool fails them instead of leaving them waiting.
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
            func read(_ key: UInt8) {
                group.addTask {
                    do {
                        return (key, .success(try await reads.value(for: [key == 60 ? 0xFF : key])))
                    } catch let error as StorageError {
                        return (key, .failure(error))
                    }
                }
            }
            // The first read is held inside the first job; the other 60 queue behind it, and one
            // more job then serves them all.
            read(0)
            while gate.reads.load(ordering: .relaxed) < 1 { try await Task.sleep(for: .milliseconds(1)) }
            for key in UInt8(1)..<61 { read(key) }
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
        #expect(reads.jobsStarted.load(ordering: .relaxed) == 2)
        #expect(try await reads.value(for: [4]) == 40)
        #expect(reads.jobsStarted.load(ordering: .relaxed) == 3, "an idle reader starts a new job")
        try await pool.shutdownGracefully()
    }

    /// Work queued on the pool while a job serves reads runs before the reads that queued
    /// meanwhile: one thread, a held read, then a pool job, then more reads.
    @Test func otherPoolWorkRunsBetweenBatches() async throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let gate = Gate()
        let other = Atomic<Bool>(false)
        let sawOther = Mutex<[Bool]>([])
        let reads = CoalescedReads<[UInt8], Int?>(threadPool: pool) { key in
            if key != [1] { sawOther.withLock { $0.append(other.load(ordering: .acquiring)) } }
            return try gate.read(key)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await reads.value(for: [1]) }
            while gate.reads.load(ordering: .relaxed) < 1 { try await Task.sleep(for: .milliseconds(1)) }
            pool.submit { _ in other.store(true, ordering: .releasing) }
            for key in UInt8(2)..<12 {
                group.addTask { _ = try await reads.value(for: [key]) }
            }
            while reads.queued < 10 { try await Task.sleep(for: .milliseconds(1)) }
            gate.released.store(true, ordering: .releasing)
            try await group.waitForAll()
        }
        #expect(sawOther.withLock { $0 } == Array(repeating: true, count: 10))
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
