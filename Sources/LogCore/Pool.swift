import Synchronization

/// Submissions waiting for the next batch.
///
/// Owner: `state`'s mutex. Submitters add under it and the sequencer takes everything
/// under it; no I/O ever happens while it is held. A submission already waiting is
/// not added twice: the second submitter waits for the same sequencing result. An idle
/// sequencer waits in `waitForArrival` for the first submission after a quiet spell.
final class Pool: Sendable {
    /// Where a pooled submission landed.
    struct Outcome: Sendable, Equatable {
        /// Its entry's index and timestamp.
        let record: DedupRecord
        /// An earlier batch had logged it; the sequencer answered from the dedup index.
        let wasLogged: Bool
    }

    /// One distinct submission and everyone waiting for it to be sequenced.
    struct Pending: Sendable {
        let submission: Submission
        var waiters: [CheckedContinuation<Outcome, any Error>]

        /// Hands every waiter the result of sequencing.
        func resume(with result: Result<Outcome, LogError>) {
            for waiter in waiters { waiter.resume(with: result.mapError { $0 as any Error }) }
        }
    }

    private struct State: Sendable {
        var pending: [Pending] = []
        var positions: [[UInt8]: Int] = [:]
        var closed = false
        /// The sequencer waiting for a submission to arrive in an empty pool, if it is.
        var arrival: CheckedContinuation<Void, Never>?
        /// Set when the wait was cancelled before it could register `arrival`: the next
        /// registration then returns at once.
        var arrivalCancelled = false

        /// The waiting sequencer, if any, no longer registered: the caller resumes it.
        mutating func takeArrival() -> CheckedContinuation<Void, Never>? {
            defer { arrival = nil }
            return arrival
        }
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        precondition(capacity > 0, "pool capacity \(capacity) must be positive")
        self.capacity = capacity
    }

    /// How many distinct submissions are waiting.
    var depth: Int { state.withLock { $0.pending.count } }

    /// Waits until `submission` is sequenced, or found already logged, and returns where it
    /// landed. Throws `.overloaded` at once when the pool is full and `.unavailable` when the
    /// log is shutting down.
    func submit(_ submission: Submission) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let (refusal, arrival) = state.withLock { state -> (LogError?, CheckedContinuation<Void, Never>?) in
                if state.closed {
                    return (LogError(.unavailable, "the log is shutting down and accepts no new submissions"), nil)
                }
                if let position = state.positions[submission.dedupKey] {
                    state.pending[position].waiters.append(continuation)
                    return (nil, nil)
                }
                guard state.pending.count < capacity else {
                    return (LogError(.overloaded, "the submission pool is full (\(capacity) waiting); retry later"), nil)
                }
                state.positions[submission.dedupKey] = state.pending.count
                state.pending.append(Pending(submission: submission, waiters: [continuation]))
                return (nil, state.takeArrival())
            }
            if let refusal { continuation.resume(throwing: refusal) }
            arrival?.resume()
        }
    }

    /// Takes every waiting submission, in arrival order, leaving the pool empty.
    func takeAll() -> [Pending] {
        state.withLock { state in
            let taken = state.pending
            state.pending = []
            state.positions = [:]
            return taken
        }
    }

    /// Refuses every later submission; those already waiting stay for a last `takeAll`.
    func close() {
        let arrival = state.withLock { state in
            state.closed = true
            return state.takeArrival()
        }
        arrival?.resume()
    }

    /// Returns once a submission is waiting (at once if one already is, or the pool is
    /// closed), after `limit` on `clock`, or when the task is cancelled, whichever is first.
    /// For one waiter at a time, the sequencer; it may return early, never late.
    func waitForArrival(atMost limit: Duration, clock: LogClock) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.arrival() }
            group.addTask { try? await clock.sleep(limit) }
            await group.next()
            group.cancelAll()
        }
    }

    private func arrival() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let (now, displaced) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                    guard state.pending.isEmpty, !state.closed, !state.arrivalCancelled else {
                        state.arrivalCancelled = false
                        return (true, nil)
                    }
                    // A second waiter (there should be none) sends the first back early, as allowed.
                    defer { state.arrival = continuation }
                    return (false, state.takeArrival())
                }
                displaced?.resume()
                if now { continuation.resume() }
            }
        } onCancel: {
            let arrival = state.withLock { state in
                if state.arrival == nil { state.arrivalCancelled = true }
                return state.takeArrival()
            }
            arrival?.resume()
        }
    }
}
