import NIOPosix
import Synchronization

/// Reads that arrive while others are waiting share one hop to the thread pool.
///
/// Every submission looks up its dedup key before it joins the pool, and every proof by
/// hash looks up a leaf index and reads tiles. One hop per read cost more than the LevelDB
/// read itself: a lock, a condition-variable wake of a pool thread and a sleep again. Here
/// the first caller of an idle reader starts one pool job; callers arriving while it runs
/// queue up, and the next job serves them all.
///
/// Owner: `state`'s mutex, held only to queue or take keys, never while reading.
final class CoalescedReads<Key: Sendable, Value: Sendable>: Sendable {
    private struct State: Sendable {
        var waiting: [(key: Key, continuation: CheckedContinuation<Value, any Error>)] = []
        /// A pool job is serving `waiting`, or about to.
        var draining = false
    }

    private let state = Mutex(State())
    /// How many pool jobs have been started, for tests and metrics.
    let jobsStarted = Atomic<Int>(0)
    private let threadPool: NIOThreadPool
    /// One blocking read; runs on a pool thread.
    private let read: @Sendable (Key) throws -> Value

    init(threadPool: NIOThreadPool, read: @escaping @Sendable (Key) throws -> Value) {
        self.threadPool = threadPool
        self.read = read
    }

    /// The value `read` gives for `key`, read on a pool thread. Throws what `read` throws,
    /// or `NIOThreadPoolError.ThreadPoolInactive` once the pool has stopped.
    func value(for key: Key) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLock { state in
                state.waiting.append((key, continuation))
                defer { state.draining = true }
                return !state.draining
            }
            if start { startJob() }
        }
    }

    /// How many reads are queued and not yet taken by a job.
    var queued: Int { state.withLock { $0.waiting.count } }

    /// Serves the reads queued now; on an inactive pool, fails them. Reads queued meanwhile
    /// get a new job at the back of the pool's queue rather than this one looping on: under
    /// steady load a looping job would hold its pool thread for good, and commits queued
    /// behind it would wait as long.
    private func drain(active: Bool) {
        let batch = state.withLock { state in
            let batch = state.waiting
            state.waiting.removeAll(keepingCapacity: true)
            return batch
        }
        for (key, continuation) in batch {
            guard active else {
                continuation.resume(throwing: NIOThreadPoolError.ThreadPoolInactive())
                continue
            }
            continuation.resume(with: Result { try read(key) })
        }
        let more = state.withLock { state in
            if state.waiting.isEmpty { state.draining = false }
            return state.draining
        }
        if more { startJob() }
    }

    private func startJob() {
        jobsStarted.add(1, ordering: .relaxed)
        threadPool.submit { [self] workState in drain(active: workState == .active) }
    }
}
