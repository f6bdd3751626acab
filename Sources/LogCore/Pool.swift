import Synchronization

/// Submissions waiting for the next batch.
///
/// Owner: `state`'s mutex. Submitters add under it and the sequencer takes everything
/// under it; no I/O ever happens while it is held. A submission already waiting is
/// not added twice: the second submitter waits for the same sequencing result.
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
            let refusal: LogError? = state.withLock { state in
                if state.closed {
                    return LogError(.unavailable, "the log is shutting down and accepts no new submissions")
                }
                if let position = state.positions[submission.dedupKey] {
                    state.pending[position].waiters.append(continuation)
                    return nil
                }
                guard state.pending.count < capacity else {
                    return LogError(.overloaded, "the submission pool is full (\(capacity) waiting); retry later")
                }
                state.positions[submission.dedupKey] = state.pending.count
                state.pending.append(Pending(submission: submission, waiters: [continuation]))
                return nil
            }
            if let refusal { continuation.resume(throwing: refusal) }
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
        state.withLock { $0.closed = true }
    }
}
